import InMemoryLogging
import Logging
import Synchronization
import TGBot
import TGBotAPI
import TGBotHTTP
import TGBotTesting
import TGBotTypes
import Testing

/// Records consumed updates; optionally blocks the consumer until released, to fill the queue.
final class UpdateRecorder: Sendable {
    private let state = Mutex<(ids: [Int64], blocked: Bool, waiters: [CheckedContinuation<Void, Never>], arrived: Int)>(
        ([], false, [], 0))

    init(blocked: Bool = false) { state.withLock { $0.blocked = blocked } }

    var ids: [Int64] { state.withLock { $0.ids } }

    /// How many updates reached the consumer (including one still blocked in it).
    var arrived: Int { state.withLock { $0.arrived } }

    func consume(_ update: Update) async {
        await withCheckedContinuation { continuation in
            let wait = state.withLock { s -> Bool in
                s.arrived += 1
                if s.blocked {
                    s.waiters.append(continuation)
                    return true
                }
                return false
            }
            if !wait { continuation.resume() }
        }
        state.withLock { $0.ids.append(update.updateID) }
    }

    func release() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.blocked = false
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

private func eventually(seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<Int(seconds * 100) {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// Starts a BotApplication on an ephemeral port, runs `body`, then shuts it down and waits for `run()`.
private func withApp(
    secret: String? = "s3cret-token", maxPending: Int = 16, admissionWait: Duration = .zero,
    shutdownDelay: Duration = .zero,
    recorder: UpdateRecorder, logger: Logger = Logger(label: "test"),
    _ body: (BotApplication, Int) async throws -> Void
) async throws {
    let configuration = BotApplicationConfiguration(
        http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 1),
        secretToken: secret.map(Secret.init), maxInFlight: maxPending, admissionWait: admissionWait, workers: 2,
        shutdownGracePeriod: .seconds(2),
        shutdownDelay: shutdownDelay)
    let app = BotApplication(configuration: configuration, caller: RecordingBotAPICaller(), logger: logger) {
        update, _ in
        await recorder.consume(update)
    }
    try app.start()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await app.run() }
        do {
            try await body(app, app.server.port!)
        } catch {
            recorder.release()
            app.beginShutdown()
            throw error
        }
        recorder.release()
        app.beginShutdown()
        try await group.waitForAll()
    }
}

private func post(
    _ client: RawHTTPClient, _ body: String, secret: String? = "s3cret-token"
) async throws -> RawHTTPClient.Response {
    var request =
        "POST /telegram HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
    if let secret { request += "X-Telegram-Bot-Api-Secret-Token: \(secret)\r\n" }
    try client.send(request + "\r\n" + body)
    return try await client.readResponse()
}

private func get(_ client: RawHTTPClient, _ path: String) async throws -> RawHTTPClient.Response {
    try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
    return try await client.readResponse()
}

@Suite(.timeLimit(.minutes(1)))
struct WebhookIntakeTests {
    @Test func secretTokenRightWrongAndMissing() async throws {
        let recorder = UpdateRecorder()
        try await withApp(recorder: recorder) { _, port in
            let client = try RawHTTPClient(port: port)
            #expect(try await post(client, #"{"update_id":1}"#, secret: nil).status == 401)
            #expect(try await post(client, #"{"update_id":2}"#, secret: "s3cret-tokeX").status == 401)
            #expect(try await post(client, #"{"update_id":3}"#, secret: "s3cret-token-longer").status == 401)
            #expect(try await post(client, #"{"update_id":4}"#).status == 200)
            #expect(await eventually { recorder.ids == [4] }, "only the authenticated update is processed")
        }
    }

    @Test func badBodiesAreRejectedWithReason() async throws {
        let recorder = UpdateRecorder()
        try await withApp(recorder: recorder) { _, port in
            let client = try RawHTTPClient(port: port)
            let notJSON = try await post(client, "not json")
            #expect(notJSON.status == 400)
            #expect(notJSON.bodyText.contains("not valid JSON"))
            let noID = try await post(client, #"{"message":{}}"#)
            #expect(noID.status == 400)
            #expect(noID.bodyText.contains("no update_id"))
            #expect(try await post(client, #"{"update_id":"7"}"#).status == 400)
            #expect(try await post(client, #"{"update_id":8,"subscription":{"future":true}}"#).status == 200)
            #expect(await eventually { recorder.ids == [8] })
        }
    }

    @Test func acceptedUpdatesAreConsumedInOrder() async throws {
        let recorder = UpdateRecorder()
        try await withApp(maxPending: 1024, recorder: recorder) { _, port in
            let client = try RawHTTPClient(port: port)
            for id in 1...200 { #expect(try await post(client, "{\"update_id\":\(id)}").status == 200) }
            #expect(await eventually { recorder.ids.count == 200 })
            #expect(recorder.ids == Array(1...200))
        }
    }

    @Test func fullPipelineAnswers503AndRecovers() async throws {
        let recorder = UpdateRecorder(blocked: true)
        try await withApp(maxPending: 4, recorder: recorder) { _, port in
            let client = try RawHTTPClient(port: port)
            // Four updates in flight (one blocked in its handler, three waiting behind it in the global lane); the
            // next is refused.
            #expect(try await post(client, #"{"update_id":1}"#).status == 200)
            #expect(await eventually { recorder.arrived == 1 })
            var statuses: [Int] = [200]
            for id in 2...6 { statuses.append(try await post(client, "{\"update_id\":\(id)}").status) }
            #expect(statuses.filter { $0 == 200 }.count == 4)
            #expect(statuses.last == 503)
            let refused = try await post(client, #"{"update_id":99}"#)
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(try await get(client, "/readyz").status == 503)
            #expect(try await get(client, "/healthz").status == 200)
            recorder.release()
            #expect(await eventually { recorder.ids.count == 4 })
            #expect(try await get(client, "/readyz").status == 200)
            #expect(try await post(client, #"{"update_id":100}"#).status == 200)
            #expect(await eventually { recorder.ids == [1, 2, 3, 4, 100] })
        }
    }

    @Test func requestsWaitForAFreeSlotBeforeBeingRefused() async throws {
        let recorder = UpdateRecorder(blocked: true)
        try await withApp(maxPending: 1, admissionWait: .seconds(20), recorder: recorder) { app, port in
            let first = try RawHTTPClient(port: port)
            #expect(try await post(first, #"{"update_id":1}"#).status == 200)
            #expect(await eventually { recorder.arrived == 1 })
            // The bound is reached: the second request is held, not refused, and gets its 200 once a slot frees.
            let second = try RawHTTPClient(port: port)
            async let answer = post(second, #"{"update_id":2}"#)
            #expect(await eventually { app.pipeline.waitingForAdmission == 1 })
            recorder.release()
            #expect(try await answer.status == 200)
            #expect(await eventually { recorder.ids == [1, 2] })
        }
    }

    @Test func readinessDuringShutdown() async throws {
        let recorder = UpdateRecorder()
        try await withApp(shutdownDelay: .milliseconds(800), recorder: recorder) { app, port in
            let client = try RawHTTPClient(port: port)
            #expect(try await get(client, "/readyz").status == 200)
            app.beginShutdown()
            let readyz = try await get(client, "/readyz")
            #expect(readyz.status == 503)
            #expect(readyz.bodyText == "draining\n")
            #expect(try await get(client, "/healthz").status == 200, "still alive while draining")
            let refused = try await post(client, #"{"update_id":1}"#)
            #expect(refused.status == 503, "no new updates once draining: Telegram redelivers them")
            #expect(await client.waitForClose())
        }
        #expect(recorder.ids.isEmpty)
    }

    @Test func secretNeverAppearsInLogs() async throws {
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .trace
        let recorder = UpdateRecorder()
        try await withApp(recorder: recorder, logger: logger) { _, port in
            let client = try RawHTTPClient(port: port)
            _ = try await post(client, #"{"update_id":1}"#, secret: "wrong-guess")
            _ = try await post(client, "oops")
            _ = try await post(client, #"{"update_id":2}"#)
        }
        let text = logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!logs.entries.isEmpty)
        #expect(text.contains("secret token"), "the rejection was logged")
        #expect(!text.contains("s3cret-token"))
        #expect(!text.contains("wrong-guess"))
    }
}
