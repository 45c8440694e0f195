import Foundation
import TGBotTypes
import Testing

struct UpdateKindTests {
    @Test func knownKindsMatchTheSpec() {
        #expect(Update.Kind.knownNames == BotAPISpec.updateFieldNames)
        #expect(Update.Kind.knownNames.count == 25)  // 26 Update fields minus update_id
    }

    @Test(arguments: Update.Kind.knownNames)
    func decodesFixtureOfKind(_ name: String) throws {
        let bytes = try fixture("updates/\(name).json")
        let update = try Update(jsonBytes: bytes)
        #expect(update.kind.name == name)
        if case .undecodable(_, _, let error) = update.kind { Issue.record("\(name): \(error)") }
        if case .unknown = update.kind { Issue.record("\(name) decoded as unknown") }
        #expect(update.raw == (try JSONValue(parsing: bytes)))
        #expect(update.updateID >= 987_654_321)
    }

    @Test(arguments: Update.Kind.knownNames)
    func reencodesFixtureOfKind(_ name: String) throws {
        let original = try Update(jsonBytes: try fixture("updates/\(name).json"))
        let again = try Update(jsonBytes: Array(original.encodedJSON()))
        #expect(again.kind == original.kind)
        #expect(again.updateID == original.updateID)
    }

    @Test(arguments: Update.Kind.knownNames)
    func decoderPathAgreesWithBytePath(_ name: String) throws {
        let bytes = try fixture("updates/\(name).json")
        let viaDecoder = try JSONDecoder().decode(Update.self, from: Data(bytes))
        #expect(viaDecoder == (try Update(jsonBytes: bytes)))
    }

    @Test func decodesTextMessageFields() throws {
        let update = try Update(jsonBytes: try fixture("updates/message.json"))
        guard case .message(let message) = update.kind else {
            Issue.record("expected a message, got \(update.kind.name)")
            return
        }
        #expect(message.messageID == 42)
        #expect(message.from?.languageCode == "en")
        #expect(message.text == "/start@echo_bot hello 👋")
        #expect(message.entities?.first?.type == "bot_command")
        #expect(update.chatID == 123_456_789)
        #expect(update.userID == 123_456_789)
    }

    @Test func decodesCallbackQueryWithKeyboard() throws {
        let update = try Update(jsonBytes: try fixture("updates/callback_query.json"))
        guard case .callbackQuery(let query) = update.kind, case .message(let message)? = query.message else {
            Issue.record("expected a callback query with an accessible message")
            return
        }
        #expect(query.data == "like:42")
        let row = try #require(message.replyMarkup?.inlineKeyboard.first)
        #expect(row.map(\.text) == ["👍 Like", "Open"])
        #expect(row[1].url == "https://example.org/a?b=c")
        #expect(update.chatID == -1_001_234_567_890)
        #expect(update.userID == 123_456_789)
    }

    @Test func getUpdatesArrayDecodesThroughDecoder() throws {
        let json = """
            [{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}}},
             {"update_id": 2, "subscription": {"id": "s"}},
             {"update_id": 3, "message": {"message_id": "x"}}]
            """
        let updates = try JSONDecoder().decode([Update].self, from: Data(json.utf8))
        #expect(updates.map(\.kind.name) == ["message", "subscription", "message"])
        guard case .undecodable = updates[2].kind else {
            Issue.record("expected undecodable, got \(updates[2].kind)")
            return
        }
    }
}
