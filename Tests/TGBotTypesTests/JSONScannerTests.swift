import TGBotTypes
import Testing

struct JSONScannerTests {
    private func scan(_ text: String) -> Result<Int64, RawUpdateError> {
        Result { () throws(RawUpdateError) in try JSONScanner.updateID(in: Array(text.utf8)) }
    }

    @Test(arguments: [
        (#"{"update_id":1}"#, Int64(1)),
        (#" {"message":{"text":"a\"b\\c\u00e9 \ud83d\ude00"},"update_id" : 987654321012 } "#, 987_654_321_012),
        (#"{"update_id":-5,"x":[1,2.5,-3e10,true,false,null,{}]}"#, -5),
        (#"{"update\u005fid":7}"#, 7),
        ("\u{FEFF}{\"update_id\":3}", 3),
    ])
    func extractsUpdateID(_ json: String, _ expected: Int64) {
        #expect((try? scan(json).get()) == expected)
    }

    @Test(arguments: [
        "", "{", "{\"update_id\":1", "{\"update_id\":1,}", "{'update_id':1}", "{\"update_id\":01}",
        "{\"update_id\":1}}", "{\"a\":\"\u{1}\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\":1.}", "{\"a\":-}",
        "{\"update_id\":1} x", "[1,]",
    ])
    func rejectsMalformedJSON(_ json: String) {
        guard case .failure(let error) = scan(json) else {
            Issue.record("accepted \(json)")
            return
        }
        if case .malformedJSON = error {} else if json == "[1,]" {} else { Issue.record("\(json): \(error)") }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        let invalid: [UInt8] = Array("{\"update_id\":1,\"t\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        #expect(throws: RawUpdateError.self) { try JSONScanner.updateID(in: invalid) }
        let overlong: [UInt8] = Array("{\"update_id\":1,\"t\":\"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8)
        #expect(throws: RawUpdateError.self) { try JSONScanner.updateID(in: overlong) }
        let deep =
            "{\"update_id\":1,\"d\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
        #expect(throws: RawUpdateError.self) { try JSONScanner.updateID(in: Array(deep.utf8)) }
    }

    @Test func distinguishesWhyAnUpdateIsRefused() {
        #expect(scan("[1]") == .failure(.notAnObject))
        #expect(scan("{}") == .failure(.missingUpdateID))
        #expect(scan(#"{"message":{"update_id":1}}"#) == .failure(.missingUpdateID))
        #expect(scan(#"{"update_id":"1"}"#) == .failure(.updateIDNotInteger))
        #expect(scan(#"{"update_id":1.5}"#) == .failure(.updateIDNotInteger))
        #expect(scan(#"{"update_id":99999999999999999999}"#) == .failure(.updateIDNotInteger))
        #expect(scan(#"{"update_id":1,"update_id":2}"#) == .failure(.duplicateUpdateID))
    }

    /// Escaped member names are compared by the code units they stand for (fuzz finding J4): `\t` is a tab,
    /// not the letter t, and a non-ASCII `\u` escape never spells `update_id`.
    @Test func decodesEscapesInMemberNames() {
        #expect(scan(#"{"upda\te_id":1}"#) == .failure(.missingUpdateID))
        #expect(scan(#"{"update_id":1,"upda\te_id":2}"#) == .success(1))
        for escape in [#"\b"#, #"\f"#, #"\n"#, #"\r"#] {
            #expect(scan(#"{"update_id":4,"update_i"# + escape + #"":5}"#) == .success(4))
        }
        #expect(scan(#"{"\u0075pdate\u005Fid":8}"#) == .success(8))
        #expect(scan(#"{"\/update_id":1}"#) == .failure(.missingUpdateID))
        #expect(scan(#"{"\u0175pdate_id":1}"#) == .failure(.missingUpdateID))
        #expect(scan(#"{"update_id\u0000":1}"#) == .failure(.missingUpdateID))
    }

    /// A repeated `update_id` is reported only once the whole document is known to be JSON (fuzz finding J2).
    @Test func reportsMalformedJSONBeforeADuplicateKey() {
        guard case .failure(.malformedJSON) = scan(#"{"update_id":0,"update\u005fid":.2}"#) else {
            Issue.record("a malformed document after a repeated key must be reported as malformed")
            return
        }
        #expect(scan(#"{"update_id":0,"update\u005fid":2}"#) == .failure(.duplicateUpdateID))
    }
}

struct SecretTests {
    @Test func neverPrintsItsValue() {
        let secret = Secret("hunter2-token")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(!"\([secret])".contains("hunter2"))
    }

    @Test func matchesOnlyTheExactValue() {
        let secret = Secret("abc_DEF-123")
        #expect(secret.matches("abc_DEF-123"))
        #expect(!secret.matches("abc_DEF-12"))
        #expect(!secret.matches("abc_DEF-1234"))
        #expect(!secret.matches("abc_DEF-124"))
        #expect(!secret.matches(""))
        #expect(!Secret("").matches("x"))
    }
}
