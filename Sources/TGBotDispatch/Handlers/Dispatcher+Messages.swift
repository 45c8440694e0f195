import TGBotTypes

extension Dispatcher {
    /// Registers a handler for new messages that start with one of the commands `names` (without `/`), as
    /// `/name args` or `/name@thisbot args`. Commands addressed to other bots are ignored. The command is in
    /// the body's second argument and ``UpdateContext/command``; its arguments are ``UpdateContext/captures``[0].
    ///
    /// Only `message` updates count: an edited message or a channel post starting with the command does not run
    /// the handler again (register ``editedMessage(_:group:name:_:)`` with ``Filter/command(_:)-(String...)``
    /// for that).
    public mutating func command(
        _ names: String..., filter: Filter = .all, group: Int = 0, _ body: @escaping PayloadBody<Command>
    ) {
        on(
            Self.newMessage, kinds: ["message"], filter: .command(names) && filter, group: group,
            name: "command:" + names.map { "/" + $0 }.joined(separator: ",")
        ) { context, _ in
            // The filter matched, so the context (parsed with the same username) has the command.
            guard let command = context.command else { return }
            try await body(context, command)
        }
    }

    /// Registers a handler for new messages (`message` updates) that `filter` matches.
    public mutating func message(
        _ filter: Filter = .all, group: Int = 0, name: String = "message", _ body: @escaping PayloadBody<Message>
    ) {
        on(Self.newMessage, kinds: ["message"], filter: filter, group: group, name: name, body)
    }

    /// Registers a handler for edited messages that `filter` matches.
    public mutating func editedMessage(
        _ filter: Filter = .all, group: Int = 0, name: String = "edited_message",
        _ body: @escaping PayloadBody<Message>
    ) {
        on(
            { if case .editedMessage(let m) = $0 { m } else { nil } }, kinds: ["edited_message"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for channel posts that `filter` matches.
    public mutating func channelPost(
        _ filter: Filter = .all, group: Int = 0, name: String = "channel_post", _ body: @escaping PayloadBody<Message>
    ) {
        on(
            { if case .channelPost(let m) = $0 { m } else { nil } }, kinds: ["channel_post"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for edited channel posts that `filter` matches.
    public mutating func editedChannelPost(
        _ filter: Filter = .all, group: Int = 0, name: String = "edited_channel_post",
        _ body: @escaping PayloadBody<Message>
    ) {
        on(
            { if case .editedChannelPost(let m) = $0 { m } else { nil } }, kinds: ["edited_channel_post"],
            filter: filter, group: group, name: name,
            body)
    }

    /// Registers a handler for messages from connected business accounts that `filter` matches.
    public mutating func businessMessage(
        _ filter: Filter = .all, group: Int = 0, name: String = "business_message",
        _ body: @escaping PayloadBody<Message>
    ) {
        on(
            { if case .businessMessage(let m) = $0 { m } else { nil } }, kinds: ["business_message"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for edited business messages that `filter` matches.
    public mutating func editedBusinessMessage(
        _ filter: Filter = .all, group: Int = 0, name: String = "edited_business_message",
        _ body: @escaping PayloadBody<Message>
    ) {
        on(
            { if case .editedBusinessMessage(let m) = $0 { m } else { nil } }, kinds: ["edited_business_message"],
            filter: filter, group: group,
            name: name, body)
    }

    /// Registers a handler for deleted business messages.
    public mutating func deletedBusinessMessages(
        _ filter: Filter = .all, group: Int = 0, name: String = "deleted_business_messages",
        _ body: @escaping PayloadBody<BusinessMessagesDeleted>
    ) {
        on(
            { if case .deletedBusinessMessages(let d) = $0 { d } else { nil } }, kinds: ["deleted_business_messages"],
            filter: filter, group: group,
            name: name, body)
    }

    /// Registers a handler for business connection changes.
    public mutating func businessConnection(
        _ filter: Filter = .all, group: Int = 0, name: String = "business_connection",
        _ body: @escaping PayloadBody<BusinessConnection>
    ) {
        on(
            { if case .businessConnection(let c) = $0 { c } else { nil } }, kinds: ["business_connection"],
            filter: filter, group: group, name: name,
            body)
    }

    /// Registers a handler for guest messages that `filter` matches.
    public mutating func guestMessage(
        _ filter: Filter = .all, group: Int = 0, name: String = "guest_message", _ body: @escaping PayloadBody<Message>
    ) {
        on(
            { if case .guestMessage(let m) = $0 { m } else { nil } }, kinds: ["guest_message"], filter: filter,
            group: group, name: name, body)
    }

    private static let newMessage: @Sendable (Update.Kind) -> Message? = {
        if case .message(let message) = $0 { message } else { nil }
    }
}
