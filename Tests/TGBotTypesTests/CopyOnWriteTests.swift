import Foundation
import TGBotTypes
import Testing

/// Large generated structs keep their fields in shared storage; copies must still behave as values.
struct CopyOnWriteTests {
    func message() throws -> Message {
        let update = try Update(jsonBytes: try fixture("updates/message.json"))
        return try #require(update.message)
    }

    @Test func writingACopyLeavesTheOriginal() throws {
        let original = try message()
        var copy = original
        #expect(copy == original)
        copy.text = "changed"
        copy.chat.id = 99
        #expect(original.text == "/start@echo_bot hello 👋")
        #expect(original.chat.id == 123_456_789)
        #expect(copy.text == "changed")
        #expect(copy.chat.id == 99)
        #expect(copy != original)
    }

    @Test func writingTheOriginalLeavesACopyInAnUpdate() throws {
        var original = try message()
        let update = Update(updateID: 1, kind: .message(original))
        original.messageID = 7
        #expect(update.message?.messageID == 42)
        #expect(original.messageID == 7)
    }

    @Test func equalValuesInSeparateStorageAreEqualAndHashAlike() throws {
        let first = try message()
        let second = try message()
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        var third = second
        third.text = first.text
        #expect(third == first)
        #expect(Set([first, second, third]).count == 1)
    }

    @Test func memberwiseInitAndCodableRoundTrip() throws {
        let chat = Chat(id: 5, type: "private")
        var built = Message(messageID: 1, date: 2, chat: chat, text: "hi")
        built.replyToMessage = Message(messageID: 0, date: 1, chat: chat)
        let data = try JSONEncoder().encode(built)
        #expect(try JSONDecoder().decode(Message.self, from: data) == built)
        let update = try Update(jsonBytes: Array(#"{"update_id": 3, "message": "#.utf8) + Array(data) + [0x7D])
        #expect(update.message == built)
        #expect(update.message?.replyToMessage?.messageID == 0)
    }
}
