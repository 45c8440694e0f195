import Foundation
import TGBotTypes

extension FakeBotAPIServer {
    /// The answer when no responder is scripted: plausible results for the common calls, `true` otherwise.
    ///
    /// - `sendMessage`, `sendPhoto`, `sendDocument`, `forwardMessage`, `editMessageText`: a `Message` with
    ///   `messageID`, the chat from `chat_id` (a `@username` becomes a channel with id -1) and the `text` or
    ///   `caption` of the request;
    /// - `sendMediaGroup`: one such message per `media` entry;
    /// - `getMe`: a bot user; `getUpdates`: `[]`; everything else: `true`.
    ///
    /// - Parameters:
    ///   - call: The call to answer.
    ///   - messageID: The `message_id` to use (the server passes an increasing counter).
    public static func defaultResponse(for call: RecordedCall, messageID: Int64) -> FakeResponse {
        switch call.method {
        case "sendMessage", "sendPhoto", "sendDocument", "forwardMessage", "editMessageText":
            return .ok(message(for: call, messageID: messageID))
        case "sendMediaGroup":
            let count = call["media"]?.arrayValue?.count ?? 1
            return .ok(.array((0..<count).map { message(for: call, messageID: messageID * 100 + Int64($0)) }))
        case "getMe":
            return .ok(["id": 123_456, "is_bot": true, "first_name": "Fake Bot", "username": "fake_bot"])
        case "getUpdates":
            return .ok([])
        default:
            return .ok(true)
        }
    }

    /// A `Message` JSON echoing the request's chat and text.
    public static func message(for call: RecordedCall, messageID: Int64) -> JSONValue {
        var chat: [String: JSONValue]
        switch call["chat_id"] {
        case .integer(let id)?:
            chat = ["id": .integer(id), "type": id < 0 ? "supergroup" : "private"]
        case .string(let username)?:
            chat = ["id": -1, "type": "channel", "username": .string(String(username.drop { $0 == "@" }))]
        default:
            chat = ["id": 0, "type": "private"]
        }
        if case .integer(let id)? = chat["id"], id > 0 { chat["first_name"] = "Test" }
        var message: [String: JSONValue] = [
            "message_id": .integer(messageID),
            "date": .integer(Int64(Date().timeIntervalSince1970)),
            "chat": .object(chat),
            "from": ["id": 123_456, "is_bot": true, "first_name": "Fake Bot", "username": "fake_bot"],
        ]
        if let text = call["text"]?.stringValue { message["text"] = .string(text) }
        if let caption = call["caption"]?.stringValue { message["caption"] = .string(caption) }
        return .object(message)
    }
}
