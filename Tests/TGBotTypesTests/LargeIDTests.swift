import Foundation
import TGBotTypes
import Testing

struct LargeIDTests {
    @Test func keepsSupergroupAndLargeUserIDsExactly() throws {
        let update = try update(
            #"{"update_id": 9223372036854775807, "message": {"message_id": 2147483648, "date": 1, "#
                + #""from": {"id": 8123456789, "is_bot": false, "first_name": "B"}, "#
                + #""chat": {"id": -1002345678901, "type": "supergroup"}}}"#)
        #expect(update.updateID == Int64.max)
        #expect(update.chatID == -1_002_345_678_901)
        #expect(update.userID == 8_123_456_789)
        #expect(update.message?.messageID == 2_147_483_648)
        #expect(update.raw["message"]?["chat"]?["id"] == .integer(-1_002_345_678_901))
    }

    @Test func idBeyondDoublePrecisionSurvivesRawAndRoundTrip() throws {
        let big: Int64 = 9_007_199_254_740_993  // 2^53 + 1, not representable as Double
        let update = try update(
            #"{"update_id": 1, "poll_answer": {"poll_id": "p", "user": "#
                + #"{"id": \#(big), "is_bot": false, "first_name": "C"}, "option_ids": [], "option_persistent_ids": []}}"#
        )
        #expect(update.userID == big)
        let again = try Update(jsonBytes: Array(try update.encodedJSON()))
        #expect(again.userID == big)
    }

    @Test func chatIDEncodesIDAsNumberAndUsernameAsString() throws {
        let parameters = SendMessageParameters(chatID: -1_001_234_567_890, text: "x")
        let json = String(decoding: try makeEncoder().encode(parameters), as: UTF8.self)
        #expect(json == #"{"chat_id":-1001234567890,"text":"x"}"#)
        let byName = SendMessageParameters(chatID: "@channel", text: "x")
        #expect(
            String(decoding: try makeEncoder().encode(byName), as: UTF8.self) == #"{"chat_id":"@channel","text":"x"}"#)
        #expect(try JSONDecoder().decode(ChatID.self, from: Data("-1001234567890".utf8)) == .id(-1_001_234_567_890))
        #expect(try JSONDecoder().decode(ChatID.self, from: Data(#""@x""#.utf8)) == .username("@x"))
    }
}
