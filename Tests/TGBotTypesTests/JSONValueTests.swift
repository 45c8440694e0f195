import Foundation
import TGBotTypes
import Testing

struct JSONValueTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONValue(parsing: Array(text.utf8))
    }

    @Test func parsesEveryKind() throws {
        let value = try parse(#" {"a": [null, true, false, 0, -12, 1.5, 2e3, "s"], "b": {}} "#)
        #expect(value == ["a": [nil, true, false, 0, -12, 1.5, 2000.0, "s"], "b": [:]])
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\udc4b""#) == "a\"b\\c/d\n\té👋")
        #expect(try parse(#""\ud83d x""#) == "\u{FFFD} x")
    }

    @Test func keepsIntegersExactAndOverflowsToDouble() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "\"\u{01}\"", "{} x", "[1 2]", "\"\\x\"",
        "{\"a\":1,}", "nul",
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func limitsNestingDepth() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONParseError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        _ = try parse(fine)
    }

    @Test func writesCompactSortedJSONThatParsesBack() throws {
        let value: JSONValue = ["z": 1, "a": ["q\"\n\u{1}", 2.5, nil, false]]
        let bytes = value.jsonBytes
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":["q\"\n\u0001",2.5,null,false],"z":1}"#)
        #expect(try JSONValue(parsing: bytes) == value)
    }

    @Test func codableAgreesWithTheParser() throws {
        let text = #"{"a": [1, 2.5, "x", true, null, {"b": -3}]}"#
        let viaDecoder = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(viaDecoder == (try parse(text)))
        #expect(try viaDecoder.decode(as: [String: [JSONValue]].self)["a"]?.count == 6)
    }
}
