import Foundation
import InMemoryLogging
import Logging
import Synchronization
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotExamples
import TGBotHTTP
import TGBotTesting
import TGBotTypes
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A private-chat text message from user `userID` as Telegram would POST it.
private func textUpdate(_ updateID: Int64, from userID: Int64, _ text: String) -> String {
    let escaped = text.replacingOccurrences(of: "\"", with: "\\\"")
    let entities =
        text.hasPrefix("/")
        ? #","entities":[{"offset":0,"length":\#(text.split(separator: " ")[0].utf16.count),"type":"bot_command"}]"#
        : ""
    return
        #"{"update_id":\#(updateID),"message":{"message_id":\#(updateID),"from":{"id":\#(userID),"is_bot":false,"first_name":"U"},"chat":{"id":\#(userID),"type":"private","first_name":"U"},"date":1732356000,"text":"\#(escaped)"\#(entities)}}"#
}

private func post(_ client: RawHTTPClient, _ body: String) async throws -> RawHTTPClient.Response {
    try client.send(
        "POST /telegram HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            + body)
    return try await client.readResponse()
}

private func withApp(
    configuration change: (inout BotApplicationConfiguration) -> Void = { _ in }, caller: any BotAPICaller,
    logger: Logger = Logger(label: "test"), dispatcher: Dispatcher, _ body: (BotApplication, Int) async throws -> Void
) async throws {
    var configuration = BotApplicationConfiguration(
        http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 2), workers: 2,
        shutdownGracePeriod: .seconds(2))
    change(&configuration)
    let app = BotApplication(configuration: configuration, dispatcher: dispatcher, caller: caller, logger: logger)
    try app.start()
    try await runWhileServing(app, body)
}

@Suite(.timeLimit(.minutes(1)))
struct PipelineTests {
    @Test func echoReplyTravelsInTheWebhookResponse() async throws {
        let caller = RecordingBotAPICaller()
        try await withApp(
            configuration: { $0.webhookReplyTimeout = .seconds(5) }, caller: caller,
            dispatcher: ExampleBot.echo.makeDispatcher()
        ) { _, port in
            let client = try RawHTTPClient(port: port)
            let response = try await post(client, textUpdate(1, from: 42, "hello there"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let body = try JSONValue(parsing: Array(response.bodyText.utf8))
            #expect(body["method"]?.stringValue == "sendMessage")
            #expect(body["chat_id"]?.int64Value == 42)
            #expect(body["text"]?.stringValue == "hello there")
            #expect(caller.calls.isEmpty, "the reply went in the webhook response, not over the Bot API")
        }
    }

    @Test func lateReplyGoesOverTheBotAPI() async throws {
        let caller = RecordingBotAPICaller()
        let gate = TestGate()
        var dispatcher = Dispatcher()
        dispatcher.message { context, _ in
            await gate.wait()
            try await context.reply("late")
        }
        try await withApp(
            configuration: { $0.webhookReplyTimeout = .milliseconds(50) }, caller: caller, dispatcher: dispatcher
        ) { _, port in
            let client = try RawHTTPClient(port: port)
            let response = try await post(client, textUpdate(1, from: 7, "hi"))
            #expect(response.status == 200)
            #expect(response.bodyText.isEmpty, "deadline passed: a plain 200")
            gate.open()
            await caller.waitForCalls(count: 1)
            #expect(caller.sentTexts == ["late"])
        }
    }

    @Test func callsThatNeedAResultAreNeverDeferred() async throws {
        let caller = RecordingBotAPICaller()
        var dispatcher = Dispatcher()
        dispatcher.message { context, _ in
            let sent = try await context.bot.sendMessage(chatID: .id(7), text: "first")
            try await context.reply("after \(sent.messageID)")
        }
        try await withApp(
            configuration: { $0.webhookReplyTimeout = .seconds(5) }, caller: caller, dispatcher: dispatcher
        ) { _, port in
            let client = try RawHTTPClient(port: port)
            let response = try await post(client, textUpdate(1, from: 7, "hi"))
            #expect(response.status == 200)
            #expect(response.bodyText.isEmpty)
            await caller.waitForCalls(count: 2)
            #expect(caller.sentTexts.count == 2)
            #expect(caller.sentTexts.first == "first")
        }
    }

    @Test func demoModeRepliesInTheWebhookResponse() async throws {
        try await withApp(
            configuration: { $0.webhookReplyTimeout = .seconds(5) },
            caller: DemoBotAPICaller(logger: Logger(label: "t")),
            dispatcher: ExampleBot.bank.makeDispatcher()
        ) { _, port in
            let client = try RawHTTPClient(port: port)
            let opened = try await post(client, textUpdate(1, from: 5, "/open"))
            #expect(opened.status == 200)
            let balance = try await post(client, textUpdate(2, from: 5, "/balance"))
            #expect(try JSONValue(parsing: Array(balance.bodyText.utf8))["text"]?.stringValue == "Balance: 100")
        }
    }

    /// The bank invariant through the real webhook path: thousands of concurrent transfers in both directions
    /// between five accounts, over eight connections, then `/audit`.
    @Test func bankInvariantHoldsUnderConcurrentTransfersOverTheWebhook() async throws {
        let caller = RecordingBotAPICaller()
        let accounts: [Int64] = [101, 102, 103, 104, 105]
        // A small in-flight bound, so backpressure (503, then redelivery) is part of the run.
        try await withApp(
            configuration: { $0.maxInFlight = 64 }, caller: caller, dispatcher: ExampleBot.bank.makeDispatcher()
        ) { app, port in
            let opener = try RawHTTPClient(port: port)
            var nextID: Int64 = 1
            for account in accounts {
                #expect(try await post(opener, textUpdate(nextID, from: account, "/open")).status == 200)
                nextID += 1
            }
            await caller.waitForCalls(count: accounts.count)
            let perConnection = 250
            let base = nextID
            try await withThrowingTaskGroup(of: Int.self) { group in
                for connection in 0..<8 {
                    group.addTask {
                        let client = try RawHTTPClient(port: port)
                        var generator = SplitMix64(seed: UInt64(connection + 1))
                        var accepted = 0
                        for i in 0..<perConnection {
                            let from = accounts[Int(generator.next() % 5)]
                            var to = accounts[Int(generator.next() % 5)]
                            if to == from { to = accounts[(accounts.firstIndex(of: from)! + 1) % 5] }
                            let amount = 1 + generator.next() % 60
                            let id = base + Int64(connection * perConnection + i)
                            // Like Telegram: a 503 (pipeline full) is delivered again a little later.
                            let body = textUpdate(id, from: from, "/transfer \(amount) \(to)")
                            for _ in 0..<1000 {
                                if try await post(client, body).status == 200 {
                                    accepted += 1
                                    break
                                }
                                try await Task.sleep(for: .milliseconds(5))
                            }
                        }
                        return accepted
                    }
                }
                var accepted = 0
                for try await count in group { accepted += count }
                #expect(accepted == 8 * perConnection)
            }
            let total = accounts.count + 8 * perConnection
            for _ in 0..<1000 where caller.calls.count < total { try await Task.sleep(for: .milliseconds(10)) }
            #expect(
                caller.calls.count == total,
                "in flight \(app.pipeline.inFlight), \(app.pipeline.schedulerStats), \(app.pipeline.pool.stats)"
            )
            try #require(caller.calls.count == total)
            // The counter moves just after the handler's reply: wait for it, bounded.
            for _ in 0..<500 where app.pipeline.processed < UInt64(total) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(app.pipeline.processed == UInt64(total))
            #expect(caller.sentTexts.filter { $0 == "Done" }.count > 100, "many transfers went through")
            let auditID = base + Int64(8 * perConnection)
            #expect(try await post(opener, textUpdate(auditID, from: 101, "/audit")).status == 200)
            await caller.waitForCalls(count: total + 1)
            #expect(caller.sentTexts.last == "Total: 500 across 5 accounts")
        }
    }

    /// Decoding runs in parallel on the pool; each chat must still see its updates in arrival (update_id) order.
    @Test func eachChatSeesItsUpdatesInOrderThroughTheWebhook() async throws {
        let seen = Mutex<[Int64: [Int64]]>([:])
        var dispatcher = Dispatcher()
        dispatcher.message { context, message in
            seen.withLock { $0[message.chat.id, default: []].append(context.update.updateID) }
        }
        let chats: [Int64] = [11, 12, 13, 14, 15, 16]
        let perChat = 200
        try await withApp(caller: RecordingBotAPICaller(), dispatcher: dispatcher) { app, port in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, chat) in chats.enumerated() {
                    group.addTask {
                        let client = try RawHTTPClient(port: port)
                        for i in 0..<perChat {
                            let id = Int64(i * chats.count + index + 1)
                            #expect(try await post(client, textUpdate(id, from: chat, "m\(i)")).status == 200)
                        }
                    }
                }
                try await group.waitForAll()
            }
            for _ in 0..<500 where app.pipeline.processed < UInt64(chats.count * perChat) {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let orders = seen.withLock { $0 }
        for chat in chats {
            let ids = orders[chat] ?? []
            #expect(ids.count == perChat, "chat \(chat)")
            #expect(ids == ids.sorted(), "chat \(chat) saw its updates out of order")
        }
    }

    /// A handler that blocks its worker thread (a synchronous wait, as a careless handler would) is reported, and
    /// meanwhile intake and other chats keep going on the other worker.
    @Test func blockedHandlerDoesNotStopOtherChats() async throws {
        let release = Atomic<Bool>(false)
        let blockedStarted = Atomic<Bool>(false)
        let othersDone = Atomic<Int>(0)
        var dispatcher = Dispatcher()
        dispatcher.message { _, message in
            if message.chat.id == 1 {
                blockedStarted.store(true, ordering: .relaxed)
                // Blocks the thread (bounded to 20 s) until the test has seen the other chat finish.
                for _ in 0..<20_000 where !release.load(ordering: .relaxed) { usleep(1000) }
            } else {
                othersDone.add(1, ordering: .relaxed)
            }
        }
        try await withApp(
            configuration: { $0.blockedThreshold = .milliseconds(100) }, caller: RecordingBotAPICaller(),
            dispatcher: dispatcher
        ) { app, port in
            let client = try RawHTTPClient(port: port)
            #expect(try await post(client, textUpdate(1, from: 1, "block")).status == 200)
            for _ in 0..<500 where !blockedStarted.load(ordering: .relaxed) {
                try await Task.sleep(for: .milliseconds(10))
            }
            for id in 2...51 { #expect(try await post(client, textUpdate(Int64(id), from: 2, "go")).status == 200) }
            for _ in 0..<500 where othersDone.load(ordering: .relaxed) < 50 {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(
                othersDone.load(ordering: .relaxed) == 50, "the other chat progressed while chat 1 blocked a worker")
            for _ in 0..<500 where app.pipeline.pool.blockedReports == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            // At least the blocked handler; on a loaded machine another job may also pass the 100 ms threshold.
            #expect(app.pipeline.pool.blockedReports >= 1)
            release.store(true, ordering: .relaxed)
        }
    }

    @Test func shutdownReportsUpdatesThatCouldNotFinish() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "test") { _ in logs }
        let gate = TestGate()
        var dispatcher = Dispatcher()
        dispatcher.message { _, _ in await gate.wait() }
        try await withApp(
            configuration: { $0.shutdownGracePeriod = .milliseconds(300) }, caller: RecordingBotAPICaller(),
            logger: logger, dispatcher: dispatcher
        ) { app, port in
            let client = try RawHTTPClient(port: port)
            #expect(try await post(client, textUpdate(77, from: 1, "stuck")).status == 200)
            #expect(try await post(client, textUpdate(78, from: 2, "stuck too")).status == 200)
            #expect(app.pipeline.inFlight == 2)
        }
        gate.open()
        let entry = logs.entries.first { $0.message.description.contains("did not finish") }
        #expect(entry?.metadata["update.ids"]?.description == "77,78")
    }
}
