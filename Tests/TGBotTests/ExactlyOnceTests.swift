import Foundation
import Logging
import Synchronization
import TGBot
import TGBotDispatch
import TGBotExamples
import TGBotHTTP
import TGBotStore
import TGBotTesting
import TGBotTypes
import Testing

/// A private-chat command from user `user`, as Telegram would POST it.
private func command(_ updateID: Int64, from user: Int64, _ text: String) -> RawUpdate {
    let length = text.split(separator: " ")[0].utf16.count
    let body =
        #"{"update_id":\#(updateID),"message":{"message_id":\#(updateID),"from":{"id":\#(user),"is_bot":false,"first_name":"U"},"chat":{"id":\#(user),"type":"private","first_name":"U"},"date":1,"text":"\#(text)","entities":[{"offset":0,"length":\#(length),"type":"bot_command"}]}}"#
    // Force-unwrap is safe: the literal above is a valid update.
    return try! RawUpdate(validating: Array(body.utf8))
}

/// A store that is unavailable for its first `failures` transactions (a full disk that is then cleared).
private final class FlakyStore: StateStore {
    let inner = InMemoryStateStore()
    let failuresLeft: Mutex<Int>

    init(failures: Int) { failuresLeft = Mutex(failures) }

    func transaction<Result: Sendable>(
        _ body: @Sendable (any StateTransaction) throws -> Result
    ) async throws -> Result {
        let fail = failuresLeft.withLock { left -> Bool in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw StateError.unavailable("database or disk is full") }
        return try await inner.transaction(body)
    }
}

@Suite(.timeLimit(.minutes(1)))
struct ExactlyOnceTests {
    /// A handler failing because the store is unavailable is not counted as done: the update runs again once the
    /// store works, and only then is it marked completed.
    @Test func updateFailingOnAStoreFaultRunsAgainInsteadOfBeingDropped() async throws {
        let directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("tgbotd-retry-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = FlakyStore(failures: 1)
        let attempts = Mutex(0)
        var dispatcher = Dispatcher(store: store)
        dispatcher.message { context, _ in
            attempts.withLock { $0 += 1 }
            try await context.store.update(Int.self, for: StateKey(.bot, "count"), default: 0) { $0! += 1 }
        }
        let app = BotApplication(
            configuration: .init(
                http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 1),
                workers: 2, durability: .durable(.init(directory: directory))),
            dispatcher: dispatcher, caller: RecordingBotAPICaller(), logger: Logger(label: "test"))
        try await app.recover()
        #expect(await app.pipeline.submit(command(5, from: 1, "/hello")) == .accepted)
        for _ in 0..<500 where app.pipeline.processed < 1 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(app.pipeline.processed == 1)
        #expect(attempts.withLock { $0 } == 2, "ran again after the store failure")
        #expect(try await store.inner.value(Int.self, for: StateKey(.bot, "count")) == 1)
        _ = await app.pipeline.shutdown(gracePeriod: .seconds(5))
        await app.pipeline.journal?.close()
        let journal = try await UpdateJournal.open(directory: directory)
        #expect(try await journal.pending().isEmpty, "marked completed once it succeeded")
        await journal.close()
    }

    /// A crash after a handler's transaction committed but before the update's completion mark: the replay runs
    /// the handler again (its Bot API reply is sent again: at least once) but the store does not apply the
    /// transfer twice (exactly once), because the transaction's (update_id, sequence) is already recorded.
    @Test func replayedUpdateDoesNotApplyItsStoreEffectsTwice() async throws {
        let directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("tgbotd-once-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (alice, bob): (Int64, Int64) = (11, 12)

        // The run that crashed: accounts opened and handled; transfer 3 journaled, its transaction committed under
        // update 3's scope, and then the process died before marking 3 completed.
        let store = try await SQLiteStateStore.open(directory: directory)
        let ledger = BankLedger(store: store)
        _ = try await ledger.open(alice)
        _ = try await ledger.open(bob)
        let journal = try await UpdateJournal.open(directory: directory)
        #expect(try await journal.append(command(3, from: alice, "/transfer 30 \(bob)")) == .appended)
        let first = try await UpdateEffectScope.withScope(updateID: 3) {
            try await ledger.transfer(30, from: alice, to: bob)
        }
        #expect(first == .done)
        await journal.close()

        var dispatcher = Dispatcher(botUsername: "bank_bot", store: store)
        BankBot.install(into: &dispatcher)
        let caller = RecordingBotAPICaller()
        let app = BotApplication(
            configuration: .init(
                http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 1),
                workers: 2, durability: .durable(.init(directory: directory))),
            dispatcher: dispatcher, caller: caller, logger: Logger(label: "test"))
        try await app.recover()
        await caller.waitForCalls(count: 1)
        let reply = try #require(caller.calls(to: "sendMessage").first)
        #expect(reply.parameters["text"] == .string("Done"), "the replay answers as the first run did")
        #expect(try await ledger.balance(of: alice) == 70, "the transfer was applied once, not twice")
        #expect(try await ledger.balance(of: bob) == 130)
        #expect(try await store.value(Int64.self, for: BankLedger.transfersKey(alice)) == 1)
        _ = await app.pipeline.shutdown(gracePeriod: .seconds(5))
        await app.pipeline.journal?.close()
        await store.close()
    }
}
