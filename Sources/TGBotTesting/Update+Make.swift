import Foundation
import TGBotTypes

extension Update {
    /// A `message` update with `text` from a user in a chat — the most common fixture.
    ///
    /// Text starting with `/` gets a `bot_command` entity over the command, as Telegram adds one.
    ///
    /// - Parameters:
    ///   - text: The message text.
    ///   - chatID: The chat; defaults to the user's private chat (`userID`).
    ///   - userID: The sender.
    ///   - updateID: The update id.
    ///   - chatType: `private`, `group`, `supergroup` or `channel`.
    ///   - messageID: The message id.
    public static func make(
        text: String, chatID: Int64? = nil, userID: Int64 = 100, updateID: Int64 = 1, chatType: String = "private",
        messageID: Int64 = 1
    ) -> Update {
        var message = Message.make(chatID: chatID ?? userID, userID: userID, chatType: chatType, messageID: messageID)
        message.text = text
        if text.hasPrefix("/") {
            let length = text.prefix { !$0.isWhitespace }.utf16.count
            message.entities = [MessageEntity(type: "bot_command", offset: 0, length: Int64(length))]
        }
        return Update(updateID: updateID, kind: .message(message))
    }

    /// A `message` update carrying `message`.
    public static func make(message: Message, updateID: Int64 = 1) -> Update {
        Update(updateID: updateID, kind: .message(message))
    }

    /// A `callback_query` update: a button with `data` pressed by a user under a bot message in a chat.
    public static func makeCallback(
        data: String?, userID: Int64 = 100, chatID: Int64? = nil, updateID: Int64 = 1, queryID: String = "cbq-1",
        messageID: Int64 = 1
    ) -> Update {
        let message = Message.make(chatID: chatID ?? userID, userID: 1, chatType: "private", messageID: messageID)
        let query = CallbackQuery(
            id: queryID, from: User.make(id: userID), chatInstance: "instance-1", message: .message(message),
            data: data)
        return Update(updateID: updateID, kind: .callbackQuery(query))
    }

    /// An update of any kind from its payload JSON, decoded as a received update would be — for kinds whose
    /// payloads are tedious to build (`chat_member`, `chat_boost`, …) and for unknown kinds.
    ///
    /// - Parameters:
    ///   - kind: The payload field name, e.g. `chat_join_request`.
    ///   - payload: The payload object.
    /// - Throws: ``RawUpdateError`` if the JSON is rejected (never for a well-formed object).
    public static func make(kind: String, payload: JSONValue, updateID: Int64 = 1) throws -> Update {
        let json: JSONValue = .object(["update_id": .integer(updateID), kind: payload])
        let bytes = (try? JSONEncoder().encode(json)).map(Array.init) ?? []
        return try Update(jsonBytes: bytes)
    }
}

extension Message {
    /// A message with no content in a chat from a user; set `text`, `photo`, … on the result.
    public static func make(
        chatID: Int64 = 100, userID: Int64 = 100, chatType: String = "private", messageID: Int64 = 1
    ) -> Message {
        Message(
            messageID: messageID, date: 1_700_000_000, chat: Chat.make(id: chatID, type: chatType),
            from: User.make(id: userID))
    }
}

extension User {
    /// A human user named after its id.
    public static func make(id: Int64 = 100, username: String? = nil) -> User {
        User(id: id, isBot: false, firstName: "User \(id)", username: username)
    }
}

extension Chat {
    /// A chat of `type`; private chats get a first name, others a title.
    public static func make(id: Int64 = 100, type: String = "private") -> Chat {
        type == "private"
            ? Chat(id: id, type: type, firstName: "User \(id)")
            : Chat(id: id, type: type, title: "Chat \(id)")
    }
}
