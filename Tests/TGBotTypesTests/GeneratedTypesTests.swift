import Foundation
import TGBotTypes
import Testing

struct GeneratedTypesTests {
    @Test(arguments: SampleValues.roundTripCases)
    func roundTripsGeneratedSample(_ testCase: RoundTripCase) throws {
        // Every optional field is set in the sample, so its encoding must carry every spec key.
        #expect(try testCase.check() == testCase.keys)
    }

    @Test func roundTripCasesCoverEveryGeneratedType() {
        let handWritten: Set<String> = ["InputFile", "Update"]
        let expected = BotAPISpec.typeNames.filter { !handWritten.contains($0) }
        #expect(SampleValues.roundTripCases.map(\.name) == expected)
        #expect(BotAPISpec.typeNames.count == 359)
    }

    @Test(arguments: SampleValues.methodCases)
    func encodesEveryParameterOfMethod(_ testCase: MethodEncodingCase) throws {
        #expect(try testCase.encode(1) == testCase.keys)
    }

    @Test func methodCasesCoverEveryMethod() {
        #expect(SampleValues.methodCases.map(\.name) == BotAPISpec.methodNames)
        #expect(BotAPISpec.methodNames.count == 180)
    }

    @Test func sampleMessageNestsRecursiveFields() throws {
        let message = SampleValues.sampleMessage(2)
        let reply = try #require(message.replyToMessage)
        #expect(reply.replyToMessage != nil)
        #expect(reply.replyToMessage?.replyToMessage == nil)
        guard case .message(let pinned)? = message.pinnedMessage else {
            Issue.record("pinned message should be a Message")
            return
        }
        #expect(pinned.messageID == SampleValues.integer)
    }
}
