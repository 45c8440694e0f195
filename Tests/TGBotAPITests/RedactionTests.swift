import Foundation
import InMemoryLogging
import Logging
import TGBotAPI
import TGBotTesting
import TGBotTypes
import Testing

/// The token never shows: not in log lines (at any level), not in error descriptions, not in reflections —
/// including transport errors, whose Foundation text quotes the URL that holds the token.
@Suite(.timeLimit(.minutes(1)))
struct RedactionTests {
    /// A token unique to this run, so a match cannot be a coincidence.
    static func uniqueToken() -> String { "987654321:Redact-\(UUID().uuidString.prefix(18))" }

    static func texts(of error: any Error) -> [String] {
        [
            String(describing: error), String(reflecting: error), "\(error)",
            (error as? BotAPIError)?.underlying.map {
                String(reflecting: $0)
            } ?? "",
        ]
    }

    @Test func tokenAppearsInNoLogLineAndNoError() async throws {
        let token = Self.uniqueToken()
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "tgbotd.api", factory: { _ in logs })
        logger.logLevel = .trace
        var errors: [any Error] = []
        try await withClient(
            token: token, logger: logger,
            responder: { call in
                switch call["text"]?.stringValue {
                case "api": .error(code: 401, description: "Unauthorized: token \(token) was revoked")
                case "garbage": FakeResponse(status: 200, text: "<html>bot\(token) oops</html>")
                case "proxy": FakeResponse(status: 502, text: "<html>bot\(token)</html>", contentType: "text/html")
                default: FakeBotAPIServer.defaultResponse(for: call, messageID: 1)
                }
            }
        ) { bot, server in
            try await bot.sendMessage(chatID: 1, text: "fine")
            for text in ["api", "garbage", "proxy"] {
                do {
                    try await bot.sendMessage(chatID: 1, text: text)
                    Issue.record("\(text) should fail")
                } catch {
                    errors.append(error)
                }
            }
            #expect(server.callCount("sendMessage") == 4)
        }
        #expect(errors.count == 3)
        for error in errors {
            for text in Self.texts(of: error) {
                #expect(!text.contains(token))
            }
        }
        #expect(errors.contains { "\($0)".contains(Redaction.placeholder) }, "the echoed token was scrubbed, not lost")

        let entries = logs.entries
        #expect(!entries.isEmpty, "the client logs at debug")
        #expect(entries.allSatisfy { $0.metadata["api.method"] == "sendMessage" })
        for entry in entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(token))
        }
    }

    @Test func transportErrorDoesNotQuoteTheToken() async throws {
        let token = Self.uniqueToken()
        let server = FakeBotAPIServer(token: token)
        try server.start()
        let baseURL = server.baseURL
        await server.shutdown()
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "tgbotd.api", factory: { _ in logs })
        logger.logLevel = .trace
        let bot = BotClient(
            token: Secret(token), configuration: BotClientConfiguration(baseURL: baseURL, logger: logger))
        let error = try await #require(throws: BotAPIError.self) { try await bot.getMe() }
        #expect(error.kind == .transport)
        for text in Self.texts(of: error) { #expect(!text.contains(token)) }
        for entry in logs.entries { #expect(!"\(entry.message) \(entry.metadata)".contains(token)) }
        #expect(!String(reflecting: bot).contains(token))
    }

    /// A transport error that quotes the request URL in its description, as `URLError` does. (`URLError`'s own
    /// conformance lives in TGBotURLSession, which the test bundle does not link: it loads libcurl.)
    private struct QuotingTransportError: TransportErrorDescribing {
        var url: String
        var transportDescription: String { "URLError -1004: Could not connect to the server. (\(url))" }
        var transportErrorCode: Int? { -1004 }
    }

    @Test func scrubsTransportErrorsThatQuoteTheURL() {
        let token = Self.uniqueToken()
        let error = QuotingTransportError(url: "https://api.telegram.org/bot\(token)/getMe")
        let scrubbed = Redaction(token: token).scrub(error)
        #expect(scrubbed.description.contains("/bot<redacted>/getMe"))
        #expect(!scrubbed.description.contains(token))
        #expect(scrubbed.urlErrorCode == -1004)
        #expect(scrubbed.typeName == "QuotingTransportError")
    }

    @Test func scrubsPercentEncodedTokens() {
        let token = "123:abc"
        let redaction = Redaction(token: token)
        #expect(
            redaction.scrub("x/bot123:abc/y and bot123%3Aabc and bot123%3aabc")
                == "x/bot<redacted>/y and bot<redacted> and bot<redacted>")
        #expect(Redaction(token: "").scrub("unchanged") == "unchanged")
    }
}
