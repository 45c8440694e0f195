import TGBotAPI
import TGBotTypes
import Testing

/// The logic behind `tgbotd decode`.
struct UpdateDecodeReportTests {
    static func report(_ json: String) throws(UpdateDecodeReport.InputError) -> UpdateDecodeReport {
        try UpdateDecodeReport(decoding: Array(json.utf8), pretty: false)
    }

    @Test func knownKindIsReencodedWithKnownFieldsOnly() throws {
        let report = try Self.report(
            #"{"update_id":10,"message":{"message_id":5,"date":1700000000,"chat":{"id":42,"type":"private"},"#
                + #""text":"hi","field_from_the_future":{"x":1}},"also_unknown_top_level":true}"#)
        #expect(report.kindDescription == "message")
        #expect(report.isDecoded)
        #expect(
            report.json
                == #"{"message":{"chat":{"id":42,"type":"private"},"date":1700000000,"message_id":5,"text":"hi"},"#
                + #""update_id":10}"#)
    }

    @Test func callbackQueryKindIsNamedAsInTheBotAPI() throws {
        let report = try Self.report(
            #"{"update_id":11,"callback_query":{"id":"q1","from":{"id":7,"is_bot":false,"first_name":"A"},"#
                + #""chat_instance":"c","data":"vote:yes"}}"#)
        #expect(report.kindDescription == "callback_query")
        #expect(report.json.contains(#""data":"vote:yes""#))
    }

    @Test func unknownKindIsNotAFailure() throws {
        let report = try Self.report(#"{"update_id":12,"subscription":{"plan":"gold"}}"#)
        #expect(report.kindDescription == "unknown(subscription)")
        #expect(report.isDecoded)
        #expect(report.json == #"{"update_id":12}"#)
    }

    @Test func undecodablePayloadIsReportedWithItsError() throws {
        let report = try Self.report(#"{"update_id":13,"message":{"message_id":"not a number"}}"#)
        #expect(report.kindDescription.hasPrefix("undecodable(message): "))
        #expect(report.kindDescription.count > "undecodable(message): ".count)
        #expect(!report.isDecoded)
        #expect(report.json == #"{"update_id":13}"#)
    }

    @Test(arguments: [
        ("", "no input"),
        ("   \n", "no input"),
        ("{\"update_id\":", "invalid JSON at byte"),
        ("[1,2]", "not an object"),
        ("{\"message\":{}}", "has no update_id"),
        ("{\"update_id\":\"7\"}", "update_id is not an integer"),
    ])
    func rejectsInputThatIsNotAnUpdate(input: String, message: String) {
        let error = #expect(throws: UpdateDecodeReport.InputError.self) { try Self.report(input) }
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error")")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func prettyOutputIsIndented() throws {
        let report = try UpdateDecodeReport(decoding: Array(#"{"update_id":1}"#.utf8))
        #expect(report.json.contains("\n"))
    }
}
