extension Update.Kind {
    /// `update_id` at 0, then the known payload names in spec order.
    private static let updateKeys = JSONTapeKeys(["update_id"] + knownNames)

    /// The id and kind of the update at the top of `reader`'s tape; a payload problem becomes
    /// ``undecodable(name:raw:error:)``, an unknown name ``unknown(name:raw:)``, each with the payload JSON
    /// (materialized only in those two cases).
    ///
    /// The payload is the first known kind present in spec order, otherwise the first other member in
    /// sorted order (as ``payloadName(in:)`` picks it for a tree). A repeated key counts with its last value.
    ///
    /// - Throws: ``RawUpdateError`` when the top level is not an object or has no integer `update_id`.
    static func decode(update reader: inout JSONTapeReader) throws(RawUpdateError) -> (Int64, Update.Kind) {
        let root = reader.tokens[0]
        guard root.kind == .object else { throw .notAnObject }
        var updateIDValue: Int?
        var known: (position: Int, value: Int)?
        var member = 1
        for _ in 0..<root.length {
            let value = member + 1
            switch reader.index(ofKey: member, in: updateKeys) {
            case 0?:
                updateIDValue = value
            case let position?:
                if known.map({ position <= $0.position }) ?? true { known = (position, value) }
            case nil:
                break
            }
            member = reader.next(after: value)
        }
        guard let updateIDValue else { throw .missingUpdateID }
        guard let updateID = reader.exactInt64(of: reader.tokens[updateIDValue]) else { throw .updateIDNotInteger }
        guard let known else { return (updateID, unknownPayload(reader: reader)) }
        let name = knownNames[known.position - 1]
        do {
            return (updateID, try decodeKnown(name: name, at: known.value, reader: &reader))
        } catch {
            let error = JSONTapeReader.prefixed(error, with: UpdateCodingKey(name))
            let payload = reader.materialize(at: known.value)
            return (updateID, .undecodable(name: name, raw: payload, error: describe(error)))
        }
    }

    /// ``unknown(name:raw:)`` for the smallest member name other than `update_id` (last value if repeated).
    private static func unknownPayload(reader: JSONTapeReader) -> Update.Kind {
        let root = reader.tokens[0]
        var chosen: (name: String, value: Int)?
        var member = 1
        for _ in 0..<root.length {
            let name = reader.string(of: reader.tokens[member])
            if name != "update_id", chosen.map({ name <= $0.name }) ?? true { chosen = (name, member + 1) }
            member = reader.next(after: member + 1)
        }
        guard let chosen else { return .unknown(name: "", raw: .null) }
        return .unknown(name: chosen.name, raw: reader.materialize(at: chosen.value))
    }

    /// Decodes the payload of the known kind `name` from the value at `index`.
    private static func decodeKnown(name: String, at index: Int, reader: inout JSONTapeReader) throws -> Update.Kind {
        func payload<T: Decodable>(_ type: T.Type) throws -> T { try reader.decodeValue(T.self, at: index) }
        switch name {
        case "message": return .message(try payload(Message.self))
        case "edited_message": return .editedMessage(try payload(Message.self))
        case "channel_post": return .channelPost(try payload(Message.self))
        case "edited_channel_post": return .editedChannelPost(try payload(Message.self))
        case "business_connection": return .businessConnection(try payload(BusinessConnection.self))
        case "business_message": return .businessMessage(try payload(Message.self))
        case "edited_business_message": return .editedBusinessMessage(try payload(Message.self))
        case "deleted_business_messages": return .deletedBusinessMessages(try payload(BusinessMessagesDeleted.self))
        case "guest_message": return .guestMessage(try payload(Message.self))
        case "message_reaction": return .messageReaction(try payload(MessageReactionUpdated.self))
        case "message_reaction_count": return .messageReactionCount(try payload(MessageReactionCountUpdated.self))
        case "inline_query": return .inlineQuery(try payload(InlineQuery.self))
        case "chosen_inline_result": return .chosenInlineResult(try payload(ChosenInlineResult.self))
        case "callback_query": return .callbackQuery(try payload(CallbackQuery.self))
        case "shipping_query": return .shippingQuery(try payload(ShippingQuery.self))
        case "pre_checkout_query": return .preCheckoutQuery(try payload(PreCheckoutQuery.self))
        case "purchased_paid_media": return .purchasedPaidMedia(try payload(PaidMediaPurchased.self))
        case "poll": return .poll(try payload(Poll.self))
        case "poll_answer": return .pollAnswer(try payload(PollAnswer.self))
        case "my_chat_member": return .myChatMember(try payload(ChatMemberUpdated.self))
        case "chat_member": return .chatMember(try payload(ChatMemberUpdated.self))
        case "chat_join_request": return .chatJoinRequest(try payload(ChatJoinRequest.self))
        case "chat_boost": return .chatBoost(try payload(ChatBoostUpdated.self))
        case "removed_chat_boost": return .removedChatBoost(try payload(ChatBoostRemoved.self))
        case "managed_bot": return .managedBot(try payload(ManagedBotUpdated.self))
        default: return .unknown(name: name, raw: reader.materialize(at: index))
        }
    }
}
