import TGBotTypes

extension Dispatcher {
    /// Registers a handler for changes of the bot's own membership in a chat (added, removed, promoted).
    public mutating func myChatMember(
        _ filter: Filter = .all, group: Int = 0, name: String = "my_chat_member",
        _ body: @escaping PayloadBody<ChatMemberUpdated>
    ) {
        on(
            { if case .myChatMember(let u) = $0 { u } else { nil } }, kinds: ["my_chat_member"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for membership changes of other members (the bot must be an administrator and ask
    /// for `chat_member` in `allowed_updates`).
    public mutating func chatMember(
        _ filter: Filter = .all, group: Int = 0, name: String = "chat_member",
        _ body: @escaping PayloadBody<ChatMemberUpdated>
    ) {
        on(
            { if case .chatMember(let u) = $0 { u } else { nil } }, kinds: ["chat_member"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for requests to join a chat.
    public mutating func chatJoinRequest(
        _ filter: Filter = .all, group: Int = 0, name: String = "chat_join_request",
        _ body: @escaping PayloadBody<ChatJoinRequest>
    ) {
        on(
            { if case .chatJoinRequest(let r) = $0 { r } else { nil } }, kinds: ["chat_join_request"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for a user's reaction changes on a message.
    public mutating func messageReaction(
        _ filter: Filter = .all, group: Int = 0, name: String = "message_reaction",
        _ body: @escaping PayloadBody<MessageReactionUpdated>
    ) {
        on(
            { if case .messageReaction(let r) = $0 { r } else { nil } }, kinds: ["message_reaction"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for anonymous reaction count changes.
    public mutating func messageReactionCount(
        _ filter: Filter = .all, group: Int = 0, name: String = "message_reaction_count",
        _ body: @escaping PayloadBody<MessageReactionCountUpdated>
    ) {
        on(
            { if case .messageReactionCount(let c) = $0 { c } else { nil } }, kinds: ["message_reaction_count"],
            filter: filter, group: group,
            name: name, body)
    }

    /// Registers a handler for new poll states (stopped polls and polls the bot sent).
    public mutating func poll(
        _ filter: Filter = .all, group: Int = 0, name: String = "poll", _ body: @escaping PayloadBody<Poll>
    ) {
        on(
            { if case .poll(let p) = $0 { p } else { nil } }, kinds: ["poll"], filter: filter, group: group, name: name,
            body)
    }

    /// Registers a handler for answers in non-anonymous polls.
    public mutating func pollAnswer(
        _ filter: Filter = .all, group: Int = 0, name: String = "poll_answer",
        _ body: @escaping PayloadBody<PollAnswer>
    ) {
        on(
            { if case .pollAnswer(let a) = $0 { a } else { nil } }, kinds: ["poll_answer"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for added or changed chat boosts.
    public mutating func chatBoost(
        _ filter: Filter = .all, group: Int = 0, name: String = "chat_boost",
        _ body: @escaping PayloadBody<ChatBoostUpdated>
    ) {
        on(
            { if case .chatBoost(let b) = $0 { b } else { nil } }, kinds: ["chat_boost"], filter: filter, group: group,
            name: name, body)
    }

    /// Registers a handler for removed chat boosts.
    public mutating func removedChatBoost(
        _ filter: Filter = .all, group: Int = 0, name: String = "removed_chat_boost",
        _ body: @escaping PayloadBody<ChatBoostRemoved>
    ) {
        on(
            { if case .removedChatBoost(let b) = $0 { b } else { nil } }, kinds: ["removed_chat_boost"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for changes of bots this bot manages.
    public mutating func managedBot(
        _ filter: Filter = .all, group: Int = 0, name: String = "managed_bot",
        _ body: @escaping PayloadBody<ManagedBotUpdated>
    ) {
        on(
            { if case .managedBot(let b) = $0 { b } else { nil } }, kinds: ["managed_bot"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for update kinds newer than this library; the payload is the kind's name and JSON.
    public mutating func unknownKind(
        group: Int = 0, name: String = "unknown", _ body: @escaping PayloadBody<(name: String, raw: JSONValue)>
    ) {
        on(
            { if case .unknown(let n, let raw) = $0 { (n, raw) } else { nil } }, kinds: [], group: group, name: name,
            body)
    }

    /// Registers a handler for known kinds whose payload broke the spec; the payload is the kind's name, its
    /// JSON and where decoding failed.
    public mutating func undecodable(
        group: Int = 0, name: String = "undecodable",
        _ body: @escaping PayloadBody<(name: String, raw: JSONValue, error: String)>
    ) {
        on(
            { if case .undecodable(let n, let raw, let e) = $0 { (n, raw, e) } else { nil } }, kinds: [], group: group,
            name: name, body)
    }

    /// Registers a catch-all handler: every update `filter` matches, of any kind. Put it last in its group (or
    /// in a group of its own) since it matches whatever reaches it.
    public mutating func any(
        _ filter: Filter = .all, group: Int = 0, name: String = "any", _ body: @escaping Handler.Body
    ) {
        on(filter, group: group, name: name, body)
    }
}
