import TGBotDispatch
import TGBotTesting
import TGBotTypes
import Testing

/// The regex filters after the move from `NSRegularExpression` to Swift `Regex`: captures, the options that
/// replaced `NSRegularExpression.Options`, and the ICU-compatible defaults of pattern strings.
@Suite struct RegexFilterTests {
    static func captures(_ filter: Filter, text: String) -> [String]? {
        filter.captures(for: Filter.Input(update: .make(text: text, chatID: 7, userID: 42)))
    }

    @Test func unmatchedOptionalGroupCapturesEmptyString() throws {
        #expect(Self.captures(try .regex("(a)|(b)"), text: "b") == ["b", "", "b"])
    }

    @Test func regexLiteralCapturesGroups() {
        #expect(Self.captures(.regex(/(\d+)-(\d+)/), text: "pages 3-14") == ["3-14", "3", "14"])
        #expect(Self.captures(.regex(/^\d+$/), text: "pages") == nil)
    }

    @Test func caseInsensitiveOption() throws {
        #expect(Self.captures(try .regex("hello"), text: "HeLLo") == nil)
        #expect(Self.captures(try .regex("hello", options: .caseInsensitive), text: "HeLLo") == ["HeLLo"])
    }

    @Test func ignoreMetacharactersMatchesLiterally() throws {
        let literal = try Filter.regex("a.b (c)?+$", options: .ignoreMetacharacters)
        #expect(Self.captures(literal, text: "x a.b (c)?+$ y") == ["a.b (c)?+$"])
        #expect(Self.captures(literal, text: "axb c") == nil)
    }

    @Test func commentsAndWhitespaceOption() throws {
        let spaced = try Filter.regex("(\\d+) \\s* # amount\n (usd|eur)", options: [.allowCommentsAndWhitespace])
        #expect(Self.captures(spaced, text: "pay 12 usd") == ["12 usd", "12", "usd"])
        #expect(Self.captures(try .regex("a b"), text: "ab") == nil)
    }

    @Test func anchorsAndDotOptions() throws {
        let text = "first\nsecond"
        #expect(Self.captures(try .regex("^second$"), text: text) == nil)
        #expect(Self.captures(try .regex("^second$", options: .anchorsMatchLines), text: text) == ["second"])
        #expect(Self.captures(try .regex("t.s"), text: text) == nil)
        #expect(Self.captures(try .regex("t.s", options: .dotMatchesLineSeparators), text: text) == ["t\ns"])
    }

    @Test func wordBoundaryIsSimpleUnlessUnicodeRequested() throws {
        // ICU's default `\b` is the `\w`/`\W` transition, so there is a boundary inside "can't"; UAX #29 word
        // boundaries keep "can't" as one word.
        #expect(Self.captures(try .regex(#"\bt\b"#), text: "can't") == ["t"])
        #expect(Self.captures(try .regex(#"\bt\b"#, options: .useUnicodeWordBoundaries), text: "can't") == nil)
    }

    @Test func patternMatchesUnicodeScalarsLikeICU() throws {
        // "e" + U+0301 COMBINING ACUTE ACCENT is one Character but two scalars; ICU matches the "e" alone.
        #expect(Self.captures(try .regex("e"), text: "cafe\u{301}") == ["e"])
    }

    @Test func inlineQueryMatching() throws {
        let update = try Update.make(
            kind: "inline_query",
            payload: [
                "id": "q", "from": ["id": 1, "is_bot": false, "first_name": "A"], "query": "gif cats", "offset": "",
            ])
        let filter = Filter.inlineQuery(matching: /^gif (\w+)$/)
        #expect(filter.captures(for: Filter.Input(update: update)) == ["gif cats", "cats"])
        #expect(filter.matches(.make(text: "gif cats", chatID: 7, userID: 42)) == false)
    }
}
