import Foundation
import Logging
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotExamples
import TGBotHTTP
import TGBotTesting
import TGBotTypes
import Testing

/// `GET /metrics` on a running BotApplication: the counters move with webhook traffic, and no secret leaks.
@Suite(.timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    private static let secret = "s3cret-Webhook-VALUE-42"
    private static let botToken = "987654:SECRET-bot-TOKEN-value"

    private static func message(_ updateID: Int64, _ text: String) -> String {
        #"{"update_id":\#(updateID),"message":{"message_id":\#(updateID),"from":{"id":7,"is_bot":false,"first_name":"U"},"chat":{"id":7,"type":"private","first_name":"U"},"date":1732356000,"text":"\#(text)"}}"#
    }

    private static func post(
        _ client: RawHTTPClient, _ body: String, secret: String?
    ) async throws -> RawHTTPClient.Response {
        let header = secret.map { "\(WebhookIntake.secretHeader): \($0)\r\n" } ?? ""
        try client.send(
            "POST /telegram HTTP/1.1\r\nHost: t\r\n\(header)Content-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try await client.readResponse()
    }

    private static func get(_ client: RawHTTPClient, _ path: String) async throws -> RawHTTPClient.Response {
        try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        return try await client.readResponse()
    }

    /// Runs an echo-bot application with a secret and webhook replies until `body` returns, then drains it.
    private static func withApp(
        _ body: (BotApplication, Int) async throws -> Void
    ) async throws -> BotApplication {
        let configuration = BotApplicationConfiguration(
            http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 2),
            secretToken: Secret(secret), botToken: Secret(botToken), workers: 2,
            webhookReplyTimeout: .seconds(5), shutdownGracePeriod: .seconds(2))
        let app = BotApplication(
            configuration: configuration, dispatcher: ExampleBot.echo.makeDispatcher(), caller: RecordingBotAPICaller(),
            logger: Logger(label: "test"))
        try app.start()
        try await runWhileServing(app, body)
        return app
    }

    @Test func countersMoveWithWebhookTraffic() async throws {
        let app = try await Self.withApp { _, port in
            let client = try RawHTTPClient(port: port)
            let before = try await Self.get(client, "/metrics")
            #expect(before.status == 200)
            #expect(before.header("Content-Type") == MetricsRegistry.contentType)
            #expect(before.bodyText.contains("tgbotd_updates_received_total 0\n"))

            let handled = try await Self.post(client, Self.message(1, "hello"), secret: Self.secret)
            #expect(handled.status == 200)
            #expect(handled.bodyText.contains("hello"), "the echo reply came back, so the update was handled")
            let unauthorized = try await Self.post(client, Self.message(2, "sneaky"), secret: "wrong")
            #expect(unauthorized.status == 401)
            let missing = try await Self.post(client, Self.message(3, "sneaky"), secret: nil)
            #expect(missing.status == 401)
            let bad = try await Self.post(client, #"{"no_update_id":true}"#, secret: Self.secret)
            #expect(bad.status == 400)

            let after = try await Self.get(client, "/metrics")
            #expect(after.status == 200)
            let text = after.bodyText
            #expect(text.contains("tgbotd_updates_received_total 4\n"))
            #expect(text.contains(#"tgbotd_updates_rejected_total{reason="unauthorized"} 2"# + "\n"))
            #expect(text.contains(#"tgbotd_updates_rejected_total{reason="bad_request"} 1"# + "\n"))
            #expect(text.contains(#"tgbotd_updates_rejected_total{reason="overloaded"} 0"# + "\n"))
            #expect(text.contains(#"tgbotd_updates_accepted_total{kind="message"} 1"# + "\n"))
            #expect(text.contains(#"tgbotd_queue_depth{stage="lanes"} "#))
            #expect(text.contains("tgbotd_pool_workers 2\n"))
            #expect(text.contains("tgbotd_http_connections_open 1\n"), "this client's connection")
            #expect(text.contains("# TYPE tgbotd_handler_duration_seconds histogram\n"))
            #expect(!text.contains(Self.secret) && !text.contains("wrong"))
            #expect(!text.contains(Self.botToken) && !text.contains("SECRET"))
            #expect(!text.contains("sneaky") && !text.contains("hello"))
        }
        // Drained: every admitted update has finished, so the dispatcher's outcome is counted.
        let text = app.metrics.registry.render()
        #expect(text.contains(#"tgbotd_updates_handled_total{status="handled"} 1"# + "\n"))
        #expect(text.contains(#"tgbotd_handler_duration_seconds_count{handler="echo"} 1"# + "\n"))
        #expect(text.contains("tgbotd_updates_in_flight 0\n"))
    }

    @Test func notReadyIsCountedAsUnavailable() async throws {
        let metrics = BotMetrics(includeProcessMetrics: false)
        let readiness = Readiness()
        let intake = WebhookIntake(
            secret: nil, sink: RefusingSink(), readiness: readiness, logger: Logger(label: "test"), metrics: metrics)
        let request = HTTPRequest(method: .post, target: "/telegram", body: Array(Self.message(1, "x").utf8))
        #expect(await intake.handle(request).status == .serviceUnavailable)
        readiness.set(.ready)
        #expect(await intake.handle(request).status == .serviceUnavailable)
        let text = metrics.registry.render()
        #expect(text.contains("tgbotd_updates_received_total 2\n"))
        #expect(text.contains(#"tgbotd_updates_rejected_total{reason="unavailable"} 1"# + "\n"))
        #expect(text.contains(#"tgbotd_updates_rejected_total{reason="overloaded"} 1"# + "\n"))
    }

    @Test func botAPICallsAreCountedWithoutTheToken() async throws {
        let metrics = BotMetrics(includeProcessMetrics: false)
        let responder: FakeBotAPIServer.Responder = { call in
            call.method == "sendMessage"
                ? FakeResponse.error(code: 403, description: "Forbidden: bot was blocked by the user")
                : FakeBotAPIServer.defaultResponse(for: call, messageID: 1)
        }
        try await withFakeBotAPIServer(responder: responder) { server in
            let transport = try HTTPClientTransport()
            let bot = BotClient(
                token: Secret(server.token),
                configuration: BotClientConfiguration(baseURL: server.baseURL, observer: metrics.apiCallObserver),
                transport: transport)
            _ = try await bot.getMe()
            _ = try await bot.getMe()
            await #expect(throws: BotAPIError.self) { try await bot.sendMessage(chatID: .id(7), text: "x") }
            await transport.shutdown()
        }
        let text = metrics.registry.render()
        #expect(text.contains(#"tgbotd_bot_api_calls_total{method="getMe",result="success"} 2"# + "\n"))
        #expect(text.contains(#"tgbotd_bot_api_calls_total{method="sendMessage",result="api_403"} 1"# + "\n"))
        #expect(text.contains(#"tgbotd_bot_api_call_duration_seconds_count{method="getMe"} 2"# + "\n"))
        #expect(!text.contains(FakeBotAPIServer.defaultToken) && !text.contains("FAKE"))
    }
}

/// A sink that is always full.
private struct RefusingSink: UpdateSink {
    func submit(_ update: RawUpdate) async -> SubmitResult { .overloaded(retryAfterSeconds: 1) }
    var isOverloaded: Bool { true }
}
