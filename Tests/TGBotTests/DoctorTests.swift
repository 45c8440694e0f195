import Foundation
import TGBot
import TGBotAPI
import TGBotHTTP
import TGBotTesting
import TGBotTypes
import Testing

@Suite(.timeLimit(.minutes(1)))
struct DoctorTests {
    static let goodSecret = "S3cret_value-that-is-long-enough-0123456789"
    static let errorTime: Int64 = 1_700_000_000

    /// A responder answering getWebhookInfo with `webhook` and everything else as the fake server does by default.
    static func responder(webhook: JSONValue) -> FakeBotAPIServer.Responder {
        { call in
            call.method == "getWebhookInfo"
                ? .ok(webhook) : FakeBotAPIServer.defaultResponse(for: call, messageID: 1)
        }
    }

    static let healthyWebhook: [String: JSONValue] = [
        "url": "https://bot.example.com/telegram", "has_custom_certificate": false, "pending_update_count": 0,
        "max_connections": 40, "allowed_updates": ["message"],
    ]

    /// Runs a doctor against a started fake Bot API server through our HTTP client.
    static func runDoctor(
        latency: Duration = .zero, responder: FakeBotAPIServer.Responder? = nil,
        adjust: (inout DoctorConfiguration) -> Void = { _ in }, now: Date = Date(),
        inspect: (FakeBotAPIServer, DoctorReport) throws -> Void
    ) async throws {
        let transport = try HTTPClientTransport()
        do {
            try await withFakeBotAPIServer(latency: latency, responder: responder) { server in
                var configuration = DoctorConfiguration(
                    token: Secret(server.token), tokenSource: "$TELEGRAM_BOT_TOKEN", apiBaseURL: server.baseURL,
                    handledKinds: ["message"], roundTrips: 3, dataDirectory: NSTemporaryDirectory(), listenHost: nil,
                    webhookSecret: Secret(goodSecret))
                adjust(&configuration)
                let client = BotClient(
                    token: Secret(server.token), configuration: BotClientConfiguration(baseURL: server.baseURL),
                    transport: transport)
                let report = await Doctor(configuration: configuration, caller: client).run(now: now)
                #expect(!report.rendered.contains(server.token))
                #expect(!report.rendered.contains(goodSecret))
                try inspect(server, report)
            }
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
    }

    @Test func slowBotAPIGetsTheAdviceToMoveCloser() async throws {
        // The fake answers each call after at least 200 ms, so the median cannot be below 150 ms.
        try await Self.runDoctor(
            latency: .milliseconds(200), responder: Self.responder(webhook: .object(Self.healthyWebhook))
        ) {
            server, report in
            let roundTrip = try #require(report.checks(named: "round-trip").first)
            #expect(roundTrip.status == .warn)
            // Only a lower bound is certain (a loaded machine answers later, never sooner).
            #expect(roundTrip.summary.contains("3 getMe calls: median "))
            #expect(roundTrip.summary.contains("(slow)"))
            #expect(roundTrip.fix?.contains("closer to Telegram's data centres") == true)
            #expect(server.callCount("getMe") == 4)  // the token check, then three timed calls
            #expect(!report.hasFailure)
        }
    }

    @Test func healthyDeploymentPassesWithoutLatency() async throws {
        try await Self.runDoctor(responder: Self.responder(webhook: .object(Self.healthyWebhook))) { server, report in
            #expect(report.checks(named: "token").first?.status == .pass)
            #expect(report.checks(named: "token").first?.summary.contains("@fake_bot") == true)
            #expect(report.checks(named: "webhook").first?.status == .pass)
            #expect(report.checks(named: "webhook.error").first?.status == .pass)
            #expect(report.checks(named: "webhook.allowed_updates").first?.status == .pass)
            // The verdict on the round trip depends on this machine's load; its thresholds are tested on
            // fixed samples in roundTripVerdicts. Here: it was measured over the configured number of calls.
            #expect(report.checks(named: "round-trip").first?.summary.hasPrefix("3 getMe calls: median ") == true)
            #expect(server.callCount("getMe") == 4)
            #expect(report.checks(named: "secret").first?.status == .pass)
            #expect(report.checks(named: "data-dir").first?.status == .pass)
        }
    }

    @Test func recentDeliveryErrorFailsWithMessageAndAge() async throws {
        var webhook = Self.healthyWebhook
        webhook["last_error_message"] = "Connection refused"
        webhook["last_error_date"] = .integer(Self.errorTime)
        webhook["pending_update_count"] = 250
        let now = Date(timeIntervalSince1970: TimeInterval(Self.errorTime + 125))
        try await Self.runDoctor(responder: Self.responder(webhook: .object(webhook)), now: now) { _, report in
            let error = try #require(report.checks(named: "webhook.error").first)
            #expect(error.status == .fail)
            #expect(error.summary == "last delivery error 2m 5s ago: Connection refused")
            #expect(error.fix?.contains("healthz") == true)
            #expect(report.checks(named: "webhook.pending").first?.status == .warn)
            #expect(report.hasFailure)
            #expect(report.rendered.contains("FAIL  webhook.error"))
        }
    }

    @Test func oldDeliveryErrorOnlyWarns() async throws {
        var webhook = Self.healthyWebhook
        webhook["last_error_message"] = "SSL error {error:0A000086:SSL routines::certificate verify failed}"
        webhook["last_error_date"] = .integer(Self.errorTime)
        let now = Date(timeIntervalSince1970: TimeInterval(Self.errorTime + 2 * 3600 + 60))
        try await Self.runDoctor(responder: Self.responder(webhook: .object(webhook)), now: now) { _, report in
            let error = try #require(report.checks(named: "webhook.error").first)
            #expect(error.status == .warn)
            #expect(error.summary.hasPrefix("last delivery error 2h 1m ago: SSL error"))
            #expect(error.fix?.contains("--certificate") == true)
            #expect(!report.hasFailure)
        }
    }

    @Test func missingOrWrongWebhookFails() async throws {
        let none: JSONValue = ["url": "", "has_custom_certificate": false, "pending_update_count": 0]
        try await Self.runDoctor(responder: Self.responder(webhook: none)) { _, report in
            #expect(report.checks(named: "webhook").first?.status == .fail)
            #expect(report.checks(named: "webhook").first?.summary.contains("no webhook set") == true)
        }
        try await Self.runDoctor(
            responder: Self.responder(webhook: .object(Self.healthyWebhook)),
            adjust: { $0.expectedWebhookURL = "https://other.example.com/telegram" }
        ) { _, report in
            let check = try #require(report.checks(named: "webhook").first)
            #expect(check.status == .fail)
            #expect(check.fix == "tgbotd webhook set --url https://other.example.com/telegram")
        }
        var plain = Self.healthyWebhook
        plain["url"] = "http://bot.example.com/telegram"
        try await Self.runDoctor(responder: Self.responder(webhook: .object(plain))) { _, report in
            #expect(report.checks(named: "webhook").first?.summary.contains("not HTTPS") == true)
        }
    }

    @Test func rejectedTokenFailsAndSkipsTheOtherAPIChecks() async throws {
        let responder: FakeBotAPIServer.Responder = { _ in .error(code: 401, description: "Unauthorized") }
        try await Self.runDoctor(responder: responder) { server, report in
            let token = try #require(report.checks(named: "token").first)
            #expect(token.status == .fail)
            #expect(token.summary.hasPrefix("token rejected: Telegram error 401: Unauthorized"))
            #expect(report.hasFailure)
            #expect(server.callCount("getWebhookInfo") == 0)
            #expect(report.checks(named: "round-trip").isEmpty)
        }
    }

    @Test func malformedOrMissingTokenFails() async throws {
        let malformed = DoctorConfiguration(token: Secret("not a token"), listenHost: nil)
        let unused = RecordingBotAPICaller()
        let report = await Doctor(configuration: malformed, caller: unused).run()
        #expect(report.checks(named: "token").first?.summary.hasPrefix("token rejected") == true)
        #expect(!report.rendered.contains("not a token"))
        let missing = await Doctor(configuration: DoctorConfiguration(token: nil, listenHost: nil), caller: nil).run()
        #expect(missing.checks(named: "token").first?.status == .fail)
        #expect(missing.hasFailure)
    }

    @Test func roundTripVerdicts() {
        let good = RoundTripSummary(samples: [12, 9, 11, 30, 10].map { .milliseconds($0) })
        #expect(good.median == .milliseconds(11))
        #expect(good.spread == .milliseconds(21))
        #expect(good.check.status == .pass)
        #expect(good.check.summary == "5 getMe calls: median 11.0 ms, spread 21.0 ms (good)")
        let workable = RoundTripSummary(samples: [80, 90, 85, 95].map { .milliseconds($0) })
        #expect(workable.median == .microseconds(87_500))
        #expect(workable.check.status == .warn)
        #expect(workable.check.fix?.contains("closer") == false)
        let far = RoundTripSummary(samples: [151, 160, 170].map { .milliseconds($0) })
        #expect(far.check.status == .warn)
        #expect(far.check.fix?.contains("closer to Telegram's data centres") == true)
        let unstable = RoundTripSummary(samples: [5, 8, 200, 6, 7].map { .milliseconds($0) })
        #expect(unstable.check.summary.hasSuffix("(unstable)"))
    }

    @Test func allowedUpdatesMustCoverHandledKinds() {
        #expect(Doctor.checkAllowedUpdates(["message"], handled: ["message"]).status == .pass)
        let missing = Doctor.checkAllowedUpdates(["message"], handled: ["message", "callback_query"])
        #expect(missing.status == .warn)
        #expect(missing.summary.contains("lacks callback_query"))
        // Telegram's default list leaves out chat_member and the reactions.
        #expect(Doctor.checkAllowedUpdates([], handled: ["callback_query"]).status == .pass)
        #expect(Doctor.checkAllowedUpdates([], handled: ["chat_member"]).status == .warn)
    }

    /// The local findings of a doctor without a token (the Bot API part is a single FAIL then).
    static func localChecks(_ adjust: (inout DoctorConfiguration) -> Void) async -> DoctorReport {
        var configuration = DoctorConfiguration(token: nil, listenHost: nil, webhookSecret: Secret(goodSecret))
        adjust(&configuration)
        return await Doctor(configuration: configuration, caller: nil).run()
    }

    @Test func dataDirectoryMustBeWritable() async throws {
        let base = NSTemporaryDirectory() + "tgbotd-doctor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let writable = await Self.localChecks { $0.dataDirectory = base }
        #expect(writable.checks(named: "data-dir").first?.status == .pass)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).isEmpty)  // the probe file is gone
        let missing = await Self.localChecks { $0.dataDirectory = base + "/state" }
        #expect(missing.checks(named: "data-dir").first?.status == .warn)
        let file = base + "/file"
        FileManager.default.createFile(atPath: file, contents: Data())
        let notDirectory = await Self.localChecks { $0.dataDirectory = file }
        #expect(notDirectory.checks(named: "data-dir").first?.status == .fail)
        let impossible = await Self.localChecks { $0.dataDirectory = file + "/state" }
        #expect(impossible.checks(named: "data-dir").first?.status == .fail)
    }

    @Test func concurrentChecksOfOneDirectoryAllPass() async throws {
        let base = NSTemporaryDirectory() + "tgbotd-doctor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        // Each probe file must be its own: with one name per process, a concurrent check failed with EEXIST.
        let statuses = await withTaskGroup(of: DoctorCheck.Status?.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    await Self.localChecks { $0.dataDirectory = base }.checks(named: "data-dir").first?.status
                }
            }
            return await group.reduce(into: [DoctorCheck.Status?]()) { $0.append($1) }
        }
        #expect(statuses.count == 32)
        #expect(statuses.allSatisfy { $0 == .pass })
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).isEmpty)
    }

    @Test func portInUseWarnsAndFreePortPasses() async throws {
        try await withFakeBotAPIServer { server in
            let busy = await Self.localChecks {
                $0.listenHost = "127.0.0.1"
                $0.listenPort = server.port
            }
            let check = try #require(busy.checks(named: "port").first)
            #expect(check.status == .warn)
            #expect(check.summary == "127.0.0.1:\(server.port) is in use")
        }
        let free = await Self.localChecks {
            $0.listenHost = "127.0.0.1"
            $0.listenPort = 0
        }
        #expect(free.checks(named: "port").first?.status == .pass)
        let skipped = await Self.localChecks { $0.listenHost = nil }
        #expect(skipped.checks(named: "port").isEmpty)
    }

    @Test func secretMustBeSetValidAndLong() async {
        let good = await Self.localChecks { $0.webhookSecretSource = "$TGBOTD_SECRET_TOKEN" }
        let check = good.checks(named: "secret").first
        #expect(check?.status == .pass)
        #expect(check?.summary == "webhook secret set from $TGBOTD_SECRET_TOKEN (\(Self.goodSecret.count) characters)")
        #expect(!good.rendered.contains(Self.goodSecret))
        let none = await Self.localChecks { $0.webhookSecret = nil }
        #expect(none.checks(named: "secret").first?.status == .fail)
        let invalid = await Self.localChecks { $0.webhookSecret = Secret("has spaces and ünicode") }
        #expect(invalid.checks(named: "secret").first?.status == .fail)
        #expect(!invalid.rendered.contains("has spaces"))
        let short = await Self.localChecks { $0.webhookSecret = Secret("short_secret") }
        #expect(short.checks(named: "secret").first?.status == .warn)
    }

    @Test func reportRendersEachFindingWithItsFix() {
        let report = DoctorReport(checks: [
            DoctorCheck("token", .pass, "bot @b"),
            DoctorCheck("round-trip", .warn, "slow", fix: "move"),
        ])
        #expect(!report.hasFailure)
        #expect(
            report.rendered == """
                PASS  token       bot @b
                WARN  round-trip  slow
                                  fix: move
                1 passed, 1 warnings, 0 failed
                """)
    }
}
