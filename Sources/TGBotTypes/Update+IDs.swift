extension Update {
    /// The chat the update happened in, for every kind that has one: the message's chat, the reacted-to
    /// chat, the chat a member or join request or boost belongs to, the private chat of a business
    /// connection, the voter chat of an anonymous poll answer. Nil for inline queries, shipping and
    /// pre-checkout queries, polls, purchased paid media and unknown kinds.
    public var chatID: Int64? {
        switch kind {
        case .message(let message), .editedMessage(let message), .channelPost(let message),
            .editedChannelPost(let message), .businessMessage(let message), .editedBusinessMessage(let message),
            .guestMessage(let message):
            return message.chat.id
        case .businessConnection(let connection): return connection.userChatID
        case .deletedBusinessMessages(let deleted): return deleted.chat.id
        case .messageReaction(let reaction): return reaction.chat.id
        case .messageReactionCount(let count): return count.chat.id
        case .callbackQuery(let query):
            switch query.message {
            case .message(let message)?: return message.chat.id
            case .inaccessibleMessage(let message)?: return message.chat.id
            case .unknown(let raw)?: return raw["chat"]?["id"]?.int64Value
            case nil: return nil
            }
        case .pollAnswer(let answer): return answer.voterChat?.id
        case .myChatMember(let update), .chatMember(let update): return update.chat.id
        case .chatJoinRequest(let request): return request.chat.id
        case .chatBoost(let boost): return boost.chat.id
        case .removedChatBoost(let removed): return removed.chat.id
        case .inlineQuery, .chosenInlineResult, .shippingQuery, .preCheckoutQuery, .purchasedPaidMedia, .poll,
            .managedBot, .unknown, .undecodable:
            return nil
        }
    }

    /// The user who caused the update: the message sender, the reacting or answering user, the booster,
    /// the user behind a query, connection or join request, the creator of a managed bot.
    public var from: User? {
        switch kind {
        case .message(let message), .editedMessage(let message), .channelPost(let message),
            .editedChannelPost(let message), .businessMessage(let message), .editedBusinessMessage(let message),
            .guestMessage(let message):
            return message.from
        case .businessConnection(let connection): return connection.user
        case .messageReaction(let reaction): return reaction.user
        case .inlineQuery(let query): return query.from
        case .chosenInlineResult(let result): return result.from
        case .callbackQuery(let query): return query.from
        case .shippingQuery(let query): return query.from
        case .preCheckoutQuery(let query): return query.from
        case .purchasedPaidMedia(let purchase): return purchase.from
        case .pollAnswer(let answer): return answer.user
        case .myChatMember(let update), .chatMember(let update): return update.from
        case .chatJoinRequest(let request): return request.from
        case .chatBoost(let boost): return boost.boost.source.user
        case .removedChatBoost(let removed): return removed.source.user
        case .managedBot(let managed): return managed.user
        case .deletedBusinessMessages, .messageReactionCount, .poll, .unknown, .undecodable:
            return nil
        }
    }

    /// The id of ``from``.
    public var userID: Int64? { from?.id }

    /// The message of message-like kinds (new, edited, channel, business and guest messages).
    public var message: Message? {
        switch kind {
        case .message(let message), .editedMessage(let message), .channelPost(let message),
            .editedChannelPost(let message), .businessMessage(let message), .editedBusinessMessage(let message),
            .guestMessage(let message):
            return message
        default:
            return nil
        }
    }
}

extension ChatBoostSource {
    /// The user who boosted, when the source names one.
    public var user: User? {
        switch self {
        case .premium(let source): source.user
        case .giftCode(let source): source.user
        case .giveaway(let source): source.user
        case .unknown: nil
        }
    }
}
