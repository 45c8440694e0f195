import Foundation
import Testing

@testable import TGBotTypes

/// The tape parser against the legacy tree parser (the oracle in `Oracle/`): the same values, and the same
/// error offsets and reasons, for fixtures, hand-picked edge cases and deterministic byte mutations.
struct JSONTapeTests {
    /// Success with the same value, or failure with the same offset and reason.
    func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let ours = Result { () throws(JSONParseError) in try JSONValue(parsing: bytes) }
        let oracle = Result { () throws(JSONParseError) in try JSONValue.legacyParse(bytes) }
        #expect(ours == oracle, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    @Test(arguments: Update.Kind.knownNames)
    func fixtureMaterializesAsTheTreeParserBuildsIt(_ name: String) throws {
        let bytes = try fixture("updates/\(name).json")
        expectAgreement(bytes)
        #expect(try Update(jsonBytes: bytes).raw == (try JSONValue.legacyParse(bytes)))
    }

    static let edgeCases: [String] = [
        "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}", "{1:2}", "01", "-01", "1.",
        "-", "+1", ".5", "1e", "1e+", "1E-7", "-0", "0.0e0", "tru", "truex", "nul", "fals", "\"abc", "\"\u{01}\"",
        "{} x", "[1 2]", "\"\\x\"", "\"\\", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud83d\\udc4b\"", "\"\\ud83d x\"",
        "\"\\ud83d\\u0041\"", "\"\\ud83d\\uZZZZ\"", "\"\\udc4b\"", "\"a\\\"b\\\\c\\/d\\n\\t\\b\\f\\r\"", "\"é👋\"",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "123456789012345678", "1234567890123456789012345", "1e400", "-1e-400", "  [ {\"a\" : [ ] } , { } ]  ",
        "{\"a\":1,\"a\":2}", "{\"\\u0061\":1,\"a\":2,\"b\":{\"c\":[true,false,null]}}", "\"\\u0000\"",
    ]

    @Test(arguments: edgeCases)
    func agreesOnEdgeCase(_ text: String) {
        expectAgreement(Array(text.utf8))
    }

    @Test(
        arguments: [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xC3, 0xA9, 0x22], [0x22, 0xC0, 0xAF, 0x22],
            [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
            [0x22, 0xE2, 0x82, 0xAC, 0x22], [0x22, 0xF0, 0x9F, 0x91, 0x8B, 0x22], [0x22, 0xC3, 0x5C, 0x6E, 0x22],
            [0x22, 0x5C, 0x6E, 0xC3, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22],
        ] as [[UInt8]])
    func agreesOnUTF8(_ bytes: [UInt8]) {
        expectAgreement(bytes)
    }

    @Test func agreesAtTheNestingLimit() {
        for depth in [JSONValue.maxParsingDepth - 1, JSONValue.maxParsingDepth, JSONValue.maxParsingDepth + 1] {
            expectAgreement(Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8))
            let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
            expectAgreement(Array(objects.utf8))
        }
        #expect(throws: JSONParseError.self) {
            let tooDeep = String(repeating: "[", count: 257) + String(repeating: "]", count: 257)
            return try JSONValue(parsing: Array(tooDeep.utf8))
        }
    }

    /// Deterministic single-byte mutations of a fixture: every outcome must match the oracle's.
    @Test func agreesOnMutatedFixtures() throws {
        let source = try fixture("updates/callback_query.json")
        let replacements: [UInt8] = [
            0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x30, 0x2D, 0x65, 0x2E, 0x00, 0xFF, 0xC3,
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var bytes = source
            let position = Int(state >> 33) % bytes.count
            bytes[position] = replacements[Int(state >> 20) % replacements.count]
            expectAgreement(bytes)
        }
    }

    @Test func decodesEscapesAndSurrogates() throws {
        let text =
            #"{"update_id": 1, "message": {"message_id": 1, "date": 5, "chat": {"id": 2, "type": "private"}, "#
            + #""text": "a\"b\\c\/\n\u00e9\ud83d\udc4b \ud83d x \udc4b"}}"#
        let update = try Update(jsonBytes: Array(text.utf8))
        #expect(update.message?.text == "a\"b\\c/\né👋 \u{FFFD} x \u{FFFD}")
    }

    @Test func repeatedKeysKeepTheLastValueInTypedAndRawForms() throws {
        let text =
            #"{"update_id": 1, "message": {"message_id": 1, "date": 5, "text": "first", "#
            + #""chat": {"id": 2, "type": "private"}, "text": "second", "date": 6}}"#
        let update = try Update(jsonBytes: Array(text.utf8))
        let message = try #require(update.message)
        #expect(message.text == "second")
        #expect(message.date == 6)
        #expect(update.raw["message"]?["text"] == "second")
    }

    @Test func escapedKeysMatchTheirDecodedNames() throws {
        let text =
            #"{"update\u005fid": 7, "mess\u0061ge": {"message_id": 1, "d\u0061te": 5, "#
            + #""chat": {"id": 2, "type": "private"}}}"#
        let update = try Update(jsonBytes: Array(text.utf8))
        #expect(update.updateID == 7)
        #expect(update.message?.date == 5)
    }

    @Test func rawOfDecodedBytesEqualsTheParsedTreeAndCanBeReplaced() throws {
        let bytes = try fixture("updates/message.json")
        var update = try Update(jsonBytes: bytes)
        let built = Update(updateID: update.updateID, kind: update.kind, raw: try JSONValue(parsing: bytes))
        #expect(update.raw == (try JSONValue(parsing: bytes)))
        #expect(update == built)
        #expect(update.hashValue == built.hashValue)
        update.raw = ["update_id": 1]
        #expect(update.raw == ["update_id": 1])
        #expect(update != built)
    }

    @Test func wrongTypesReportTheFullCodingPath() throws {
        let text =
            #"{"update_id": 1, "callback_query": {"id": "q", "from": {"id": 3, "is_bot": false, "#
            + #""first_name": "A"}, "chat_instance": "c", "message": {"message_id": 1, "date": 5, "#
            + #""chat": {"id": 2, "type": "private"}, "entities": [{"type": "bold", "offset": 0, "length": "x"}]}}}"#
        let update = try Update(jsonBytes: Array(text.utf8))
        guard case .undecodable(let name, _, let error) = update.kind else {
            Issue.record("expected undecodable, got \(update.kind.name)")
            return
        }
        #expect(name == "callback_query")
        #expect(error == "wrong type at callback_query.message.entities[0].length: expected Int64")
    }
}
