import Foundation
import TGBotTypes
import Testing

struct ForwardCompatibilityTests {
    static let chat = #"{"id": -1001234567890, "type": "supergroup", "title": "T"}"#

    @Test func ignoresUnknownFieldsButKeepsThemInRaw() throws {
        let update = try update(
            #"{"update_id": 1, "future_top": true, "message": {"message_id": 1, "date": 5, "chat": \#(Self.chat), "#
                + #""text": "hi", "future_field": {"nested": [1, 2]}}}"#)
        guard case .message(let message) = update.kind else {
            Issue.record("expected message, got \(update.kind)")
            return
        }
        #expect(message.text == "hi")
        #expect(update.raw["message"]?["future_field"]?["nested"] == [1, 2])
        #expect(update.raw["future_top"] == true)
    }

    @Test func newerUpdateKindIsUnknownWithItsPayload() throws {
        let update = try update(#"{"update_id": 7, "subscription": {"id": "sub-1", "period": 2592000}}"#)
        #expect(update.updateID == 7)
        #expect(update.kind == .unknown(name: "subscription", raw: ["id": "sub-1", "period": 2_592_000]))
        // Re-encoding writes only what this version knows.
        #expect(String(decoding: try update.encodedJSON(), as: UTF8.self) == #"{"update_id":7}"#)
    }

    @Test func updateWithoutPayloadIsUnknownWithEmptyName() throws {
        #expect(try update(#"{"update_id": 8}"#).kind == .unknown(name: "", raw: .null))
    }

    @Test func unknownReactionDeepInsideDoesNotFailTheUpdate() throws {
        let update = try update(
            #"{"update_id": 1, "message_reaction": {"chat": \#(Self.chat), "message_id": 3, "date": 4, "#
                + #""old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}, "#
                + #"{"type": "star_burst", "power": 9}]}}"#)
        guard case .messageReaction(let reaction) = update.kind else {
            Issue.record("expected message_reaction, got \(update.kind)")
            return
        }
        #expect(reaction.newReaction.count == 2)
        #expect(reaction.newReaction[1] == .unknown(["type": "star_burst", "power": 9]))
    }

    @Test func missingRequiredFieldIsUndecodable() throws {
        let update = try update(#"{"update_id": 2, "message": {"message_id": 1, "chat": \#(Self.chat)}}"#)
        guard case .undecodable(let name, let raw, let error) = update.kind else {
            Issue.record("expected undecodable, got \(update.kind)")
            return
        }
        #expect(name == "message")
        #expect(raw["message_id"] == 1)
        #expect(error == "missing field 'date' at message.date")
    }

    @Test func numberWhereStringBelongsIsUndecodable() throws {
        let update = try update(
            #"{"update_id": 3, "message": {"message_id": 1, "date": 2, "chat": \#(Self.chat), "text": 12345}}"#)
        guard case .undecodable("message", _, let error) = update.kind else {
            Issue.record("expected undecodable, got \(update.kind)")
            return
        }
        #expect(error.contains("message.text"))
    }

    @Test func wrongTypeDeepInsideNamesThePath() throws {
        let update = try update(
            #"{"update_id": 3, "callback_query": {"id": "q", "chat_instance": "c", "#
                + #""from": {"id": "not a number", "is_bot": false, "first_name": "A"}}}"#)
        guard case .undecodable("callback_query", _, let error) = update.kind else {
            Issue.record("expected undecodable, got \(update.kind)")
            return
        }
        #expect(error.contains("callback_query.from.id"))
    }

    @Test(arguments: [
        ("not json", "malformed"), ("[1, 2]", "notAnObject"), (#"{"message": {}}"#, "missing"),
        (#"{"update_id": "5"}"#, "notInteger"), (#"{"update_id": 1.5}"#, "notInteger"),
        (#"{"update_id": 1"#, "malformed"),
    ])
    func rejectsBodiesWithoutAnIntegerUpdateID(_ body: String, _ expected: String) {
        do {
            _ = try Update(jsonBytes: Array(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            switch (error, expected) {
            case (.malformedJSON, "malformed"), (.notAnObject, "notAnObject"), (.missingUpdateID, "missing"),
                (.updateIDNotInteger, "notInteger"):
                break
            default: Issue.record("\(body): \(error), expected \(expected)")
            }
        }
    }

    @Test func decodesFromRawUpdate() throws {
        let body =
            Array(
                #"{"update_id": 4294967297, "poll_answer": {"poll_id": "p", "option_ids": [0], "#
                    .utf8) + Array(#""option_persistent_ids": ["a"]}}"#.utf8)
        let update = try Update(raw: RawUpdate(validating: body))
        #expect(update.updateID == 4_294_967_297)
        #expect(update.kind.name == "poll_answer")
    }
}
