import Foundation
import Synchronization
import TGBotAPI
import TGBotTesting
import TGBotTypes
import Testing

/// Every way a call can fail maps to one ``BotAPIError`` kind that names the method.
@Suite(.timeLimit(.minutes(1)))
struct ClientErrorMappingTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var response: FakeResponse
        var kind: BotAPIError.Kind
        var errorCode: Int? = nil
        var apiDescription: String? = nil
        var retryAfter: Int? = nil
        var migrateToChatID: Int64? = nil
        var isRetryable: Bool
    }

    static let cases: [Case] = [
        Case(
            description: "400 chat not found",
            response: .error(code: 400, description: "Bad Request: chat not found"), kind: .api, errorCode: 400,
            apiDescription: "Bad Request: chat not found", isRetryable: false),
        Case(
            description: "403 blocked",
            response: .error(code: 403, description: "Forbidden: bot was blocked by the user"), kind: .api,
            errorCode: 403, apiDescription: "Forbidden: bot was blocked by the user", isRetryable: false),
        Case(
            description: "429 flood control",
            response: .error(code: 429, description: "Too Many Requests: retry after 7", retryAfter: 7), kind: .api,
            errorCode: 429, apiDescription: "Too Many Requests: retry after 7", retryAfter: 7, isRetryable: true),
        Case(
            description: "400 migrated",
            response: .error(
                code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat",
                migrateToChatID: -1_001_987_654_321),
            kind: .api, errorCode: 400, apiDescription: "Bad Request: group chat was upgraded to a supergroup chat",
            migrateToChatID: -1_001_987_654_321, isRetryable: false),
        Case(
            description: "500 with envelope",
            response: .error(code: 500, description: "Internal Server Error"), kind: .api, errorCode: 500,
            apiDescription: "Internal Server Error", isRetryable: true),
        Case(
            description: "502 proxy page",
            response: FakeResponse(
                status: 502, text: "<html><body>502 Bad Gateway</body></html>", contentType: "text/html"),
            kind: .transport, isRetryable: true),
        Case(
            description: "200 garbage", response: FakeResponse(status: 200, text: "this is not json {"),
            kind: .decoding, isRetryable: false),
        Case(
            description: "ok true, wrong result type",
            response: FakeResponse(status: 200, text: #"{"ok":true,"result":"nope"}"#),
            kind: .decoding, isRetryable: false),
        Case(
            description: "ok true, no result", response: FakeResponse(status: 200, text: #"{"ok":true}"#),
            kind: .decoding, isRetryable: false),
    ]

    @Test(arguments: cases)
    func mapsFailure(_ expected: Case) async throws {
        let observed = Mutex<[BotCallObservation]>([])
        try await withClient(
            observer: { observation in observed.withLock { $0.append(observation) } },
            responder: { _ in expected.response }
        ) { bot, server in
            let error = try await #require(throws: BotAPIError.self) {
                try await bot.sendMessage(chatID: 42, text: "hi")
            }
            #expect(error.kind == expected.kind)
            #expect(error.method == "sendMessage")
            #expect(error.errorCode == expected.errorCode)
            #expect(error.apiDescription == expected.apiDescription)
            #expect(error.retryAfter == expected.retryAfter)
            #expect(error.migrateToChatID == expected.migrateToChatID)
            #expect(error.isRetryable == expected.isRetryable)
            #expect(error.description.hasPrefix("sendMessage failed: "))
            switch expected.kind {
            case .decoding:
                #expect(error.bodyPrefix == String(decoding: expected.response.body, as: UTF8.self))
            case .transport:
                let status = try #require(error.underlying as? UnexpectedHTTPStatus)
                #expect(status.status == 502)
                #expect(status.bodyPrefix.contains("502 Bad Gateway"))
            default:
                #expect(error.underlying == nil)
            }
            #expect(server.callCount("sendMessage") == 1)
        }
        let observations = observed.withLock { $0 }
        #expect(observations.map(\.method) == ["sendMessage"])
        let outcome: BotCallOutcome =
            switch expected.kind {
            case .api: .apiError(code: expected.errorCode ?? 0)
            case .decoding: .decodingError
            default: .transportError
            }
        #expect(observations.map(\.outcome) == [outcome])
    }

    @Test func connectionRefusedIsATransportError() async throws {
        // A port that was just bound and released: nothing listens there any more.
        let server = FakeBotAPIServer()
        try server.start()
        let baseURL = server.baseURL
        await server.shutdown()
        let bot = BotClient(
            token: Secret(FakeBotAPIServer.defaultToken),
            configuration: BotClientConfiguration(baseURL: baseURL, requestTimeout: .seconds(10)))
        let error = try await #require(throws: BotAPIError.self) { try await bot.getMe() }
        #expect(error.kind == .transport)
        #expect(error.method == "getMe")
        #expect(error.description.hasPrefix("getMe failed: transport error: "))
        let underlying = try #require(error.underlying as? RedactedError)
        #expect(underlying.typeName == "HTTPClientError")
        #expect(underlying.description.lowercased().contains("refused"), "\(underlying.description)")
    }

    @Test func successIsObserved() async throws {
        let observed = Mutex<[BotCallObservation]>([])
        try await withClient(observer: { observation in observed.withLock { $0.append(observation) } }) { bot, _ in
            _ = try await bot.getMe()
        }
        #expect(observed.withLock { $0.map(\.outcome) } == [.success])
        #expect(observed.withLock { $0.map(\.method) } == ["getMe"])
    }

    @Test func cancellationWhileWaitingThrowsCancellationError() async throws {
        let observed = Mutex<[BotCallObservation]>([])
        let server = FakeBotAPIServer(latency: .seconds(30))
        try server.start()
        let bot = BotClient(
            token: Secret(server.token),
            configuration: BotClientConfiguration(
                baseURL: server.baseURL, requestTimeout: .seconds(50),
                observer: { observation in observed.withLock { $0.append(observation) } }))
        let outcome: Result<User, any Error> = await withTaskGroup(of: Result<User, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await bot.getMe()) } catch { return .failure(error) }
            }
            group.addTask {
                // Wait until the server holds the call, then cancel the caller.
                var events = server.events.makeAsyncIterator()
                _ = await events.next()
                return nil
            }
            var result: Result<User, any Error>?
            for await value in group {
                if let value {
                    result = value
                } else {
                    group.cancelAll()
                }
            }
            return result ?? .failure(BotAPIError.transport(method: "none", underlying: CancellationError()))
        }
        await server.shutdown(gracePeriod: .milliseconds(100))
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(observed.withLock { $0.map(\.outcome) } == [.cancelled])
    }
}
