import FoundationEssentials

extension Update {
    /// What an update is about: one case per payload field of the Bot API `Update` object (spec order),
    /// plus the two forward-compatibility cases. `indirect`, so an `Update` stays small to pass around.
    public indirect enum Kind: Sendable, Hashable {
        /// `message`: A new incoming message of any kind: text, photo, sticker, etc.
        case message(Message)
        /// `edited_message`: A new version of a message that is known to the bot and was edited.
        case editedMessage(Message)
        /// `channel_post`: A new incoming channel post of any kind.
        case channelPost(Message)
        /// `edited_channel_post`: A new version of a channel post that is known to the bot and was edited.
        case editedChannelPost(Message)
        /// `business_connection`: The bot was connected to or disconnected from a business account, or a user edited an existing connection.
        case businessConnection(BusinessConnection)
        /// `business_message`: A new message from a connected business account.
        case businessMessage(Message)
        /// `edited_business_message`: A new version of a message from a connected business account.
        case editedBusinessMessage(Message)
        /// `deleted_business_messages`: Messages were deleted from a connected business account.
        case deletedBusinessMessages(BusinessMessagesDeleted)
        /// `guest_message`: A new guest message.
        case guestMessage(Message)
        /// `message_reaction`: A reaction to a message was changed by a user.
        case messageReaction(MessageReactionUpdated)
        /// `message_reaction_count`: Reactions to a message with anonymous reactions were changed.
        case messageReactionCount(MessageReactionCountUpdated)
        /// `inline_query`: A new incoming inline query.
        case inlineQuery(InlineQuery)
        /// `chosen_inline_result`: The result of an inline query that was chosen by a user and sent to their chat partner.
        case chosenInlineResult(ChosenInlineResult)
        /// `callback_query`: A new incoming callback query.
        case callbackQuery(CallbackQuery)
        /// `shipping_query`: A new incoming shipping query (invoices with flexible price only).
        case shippingQuery(ShippingQuery)
        /// `pre_checkout_query`: A new incoming pre-checkout query, with full information about checkout.
        case preCheckoutQuery(PreCheckoutQuery)
        /// `purchased_paid_media`: A user purchased paid media with a non-empty payload sent by the bot in a non-channel chat.
        case purchasedPaidMedia(PaidMediaPurchased)
        /// `poll`: New poll state (stopped polls and polls sent by the bot only).
        case poll(Poll)
        /// `poll_answer`: A user changed their answer in a non-anonymous poll.
        case pollAnswer(PollAnswer)
        /// `my_chat_member`: The bot's chat member status was updated in a chat.
        case myChatMember(ChatMemberUpdated)
        /// `chat_member`: A chat member's status was updated in a chat.
        case chatMember(ChatMemberUpdated)
        /// `chat_join_request`: A request to join the chat has been sent.
        case chatJoinRequest(ChatJoinRequest)
        /// `chat_boost`: A chat boost was added or changed.
        case chatBoost(ChatBoostUpdated)
        /// `removed_chat_boost`: A boost was removed from a chat.
        case removedChatBoost(ChatBoostRemoved)
        /// `managed_bot`: A bot managed by this bot was created, or its token or owner changed.
        case managedBot(ManagedBotUpdated)
        /// A kind newer than this library (e.g. `subscription` from Bot API 10.2), with its payload JSON.
        /// `name` is empty when the update carries no payload field at all.
        case unknown(name: String, raw: JSONValue)
        /// A known kind whose payload does not match the spec (a required field missing, a wrong type).
        /// `error` says where decoding failed, e.g. `missing field 'date' at message.date`.
        case undecodable(name: String, raw: JSONValue, error: String)

        /// The payload field names this version knows, in spec order.
        public static let knownNames: [String] = [
            "message",
            "edited_message",
            "channel_post",
            "edited_channel_post",
            "business_connection",
            "business_message",
            "edited_business_message",
            "deleted_business_messages",
            "guest_message",
            "message_reaction",
            "message_reaction_count",
            "inline_query",
            "chosen_inline_result",
            "callback_query",
            "shipping_query",
            "pre_checkout_query",
            "purchased_paid_media",
            "poll",
            "poll_answer",
            "my_chat_member",
            "chat_member",
            "chat_join_request",
            "chat_boost",
            "removed_chat_boost",
            "managed_bot",
        ]

        /// The JSON field name of the payload (`message`, `callback_query`, or the unknown name).
        public var name: String {
            switch self {
            case .message: "message"
            case .editedMessage: "edited_message"
            case .channelPost: "channel_post"
            case .editedChannelPost: "edited_channel_post"
            case .businessConnection: "business_connection"
            case .businessMessage: "business_message"
            case .editedBusinessMessage: "edited_business_message"
            case .deletedBusinessMessages: "deleted_business_messages"
            case .guestMessage: "guest_message"
            case .messageReaction: "message_reaction"
            case .messageReactionCount: "message_reaction_count"
            case .inlineQuery: "inline_query"
            case .chosenInlineResult: "chosen_inline_result"
            case .callbackQuery: "callback_query"
            case .shippingQuery: "shipping_query"
            case .preCheckoutQuery: "pre_checkout_query"
            case .purchasedPaidMedia: "purchased_paid_media"
            case .poll: "poll"
            case .pollAnswer: "poll_answer"
            case .myChatMember: "my_chat_member"
            case .chatMember: "chat_member"
            case .chatJoinRequest: "chat_join_request"
            case .chatBoost: "chat_boost"
            case .removedChatBoost: "removed_chat_boost"
            case .managedBot: "managed_bot"
            case .unknown(let name, _), .undecodable(let name, _, _): name
            }
        }
    }
}

extension Update.Kind {
    /// Decodes the payload of a known kind, or returns nil for a name this version does not know.
    static func decodeKnown(
        name: String, from container: KeyedDecodingContainer<UpdateCodingKey>
    ) throws -> Update.Kind? {
        let key = UpdateCodingKey(name)
        switch name {
        case "message": return .message(try container.decode(Message.self, forKey: key))
        case "edited_message": return .editedMessage(try container.decode(Message.self, forKey: key))
        case "channel_post": return .channelPost(try container.decode(Message.self, forKey: key))
        case "edited_channel_post": return .editedChannelPost(try container.decode(Message.self, forKey: key))
        case "business_connection":
            return .businessConnection(try container.decode(BusinessConnection.self, forKey: key))
        case "business_message": return .businessMessage(try container.decode(Message.self, forKey: key))
        case "edited_business_message": return .editedBusinessMessage(try container.decode(Message.self, forKey: key))
        case "deleted_business_messages":
            return .deletedBusinessMessages(try container.decode(BusinessMessagesDeleted.self, forKey: key))
        case "guest_message": return .guestMessage(try container.decode(Message.self, forKey: key))
        case "message_reaction": return .messageReaction(try container.decode(MessageReactionUpdated.self, forKey: key))
        case "message_reaction_count":
            return .messageReactionCount(try container.decode(MessageReactionCountUpdated.self, forKey: key))
        case "inline_query": return .inlineQuery(try container.decode(InlineQuery.self, forKey: key))
        case "chosen_inline_result":
            return .chosenInlineResult(try container.decode(ChosenInlineResult.self, forKey: key))
        case "callback_query": return .callbackQuery(try container.decode(CallbackQuery.self, forKey: key))
        case "shipping_query": return .shippingQuery(try container.decode(ShippingQuery.self, forKey: key))
        case "pre_checkout_query": return .preCheckoutQuery(try container.decode(PreCheckoutQuery.self, forKey: key))
        case "purchased_paid_media":
            return .purchasedPaidMedia(try container.decode(PaidMediaPurchased.self, forKey: key))
        case "poll": return .poll(try container.decode(Poll.self, forKey: key))
        case "poll_answer": return .pollAnswer(try container.decode(PollAnswer.self, forKey: key))
        case "my_chat_member": return .myChatMember(try container.decode(ChatMemberUpdated.self, forKey: key))
        case "chat_member": return .chatMember(try container.decode(ChatMemberUpdated.self, forKey: key))
        case "chat_join_request": return .chatJoinRequest(try container.decode(ChatJoinRequest.self, forKey: key))
        case "chat_boost": return .chatBoost(try container.decode(ChatBoostUpdated.self, forKey: key))
        case "removed_chat_boost": return .removedChatBoost(try container.decode(ChatBoostRemoved.self, forKey: key))
        case "managed_bot": return .managedBot(try container.decode(ManagedBotUpdated.self, forKey: key))
        default: return nil
        }
    }

    /// Writes the typed payload under its name; unknown and undecodable kinds write nothing.
    func encodePayload(into container: inout KeyedEncodingContainer<UpdateCodingKey>) throws {
        let key = UpdateCodingKey(name)
        switch self {
        case .message(let payload), .editedMessage(let payload), .channelPost(let payload),
            .editedChannelPost(let payload), .businessMessage(let payload), .editedBusinessMessage(let payload),
            .guestMessage(let payload):
            try container.encode(payload, forKey: key)
        case .businessConnection(let payload):
            try container.encode(payload, forKey: key)
        case .deletedBusinessMessages(let payload):
            try container.encode(payload, forKey: key)
        case .messageReaction(let payload):
            try container.encode(payload, forKey: key)
        case .messageReactionCount(let payload):
            try container.encode(payload, forKey: key)
        case .inlineQuery(let payload):
            try container.encode(payload, forKey: key)
        case .chosenInlineResult(let payload):
            try container.encode(payload, forKey: key)
        case .callbackQuery(let payload):
            try container.encode(payload, forKey: key)
        case .shippingQuery(let payload):
            try container.encode(payload, forKey: key)
        case .preCheckoutQuery(let payload):
            try container.encode(payload, forKey: key)
        case .purchasedPaidMedia(let payload):
            try container.encode(payload, forKey: key)
        case .poll(let payload):
            try container.encode(payload, forKey: key)
        case .pollAnswer(let payload):
            try container.encode(payload, forKey: key)
        case .myChatMember(let payload), .chatMember(let payload):
            try container.encode(payload, forKey: key)
        case .chatJoinRequest(let payload):
            try container.encode(payload, forKey: key)
        case .chatBoost(let payload):
            try container.encode(payload, forKey: key)
        case .removedChatBoost(let payload):
            try container.encode(payload, forKey: key)
        case .managedBot(let payload):
            try container.encode(payload, forKey: key)
        case .unknown, .undecodable:
            break
        }
    }
}
