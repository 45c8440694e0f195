import TGBotDispatch
import TGBotExamples
import TGBotStore
import Testing

/// A `Codable` result, returned from the record on replay.
struct Receipt: Codable, Sendable, Equatable {
    var count: Int
    var note: String
}

/// A result that cannot be recorded or decoded.
struct Opaque: Sendable, Equatable {
    var value: Int
}

@Suite(.timeLimit(.minutes(1)))
struct StateEffectsTests {
    static let key = StateKey(.bot, "count")

    /// One run of update 7's handler: the transaction numbered 0 of its scope.
    static func increment(_ store: SQLiteStateStore, runs: RunCounter) async throws -> Receipt {
        try await store.transaction { tx in
            runs.increment()
            let count = (try tx.value(Int.self, for: key) ?? 0) + 1
            try tx.set(count, for: key)
            return Receipt(count: count, note: "run \(runs.value)")
        }
    }

    @Test func aReplayedTransactionReturnsTheRecordedResultWithoutRunning() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let runs = RunCounter()
        let first = try await UpdateEffectScope.withScope(updateID: 7) { try await Self.increment(store, runs: runs) }
        let replay = try await UpdateEffectScope.withScope(updateID: 7, replay: true) {
            try await Self.increment(store, runs: runs)
        }
        #expect(first == Receipt(count: 1, note: "run 1"))
        #expect(replay == first)
        #expect(runs.value == 1)
        #expect(try await store.value(Int.self, for: Self.key) == 1)

        // Outside any scope, and under another update, the body runs as usual.
        _ = try await Self.increment(store, runs: runs)
        _ = try await UpdateEffectScope.withScope(updateID: 8) { try await Self.increment(store, runs: runs) }
        #expect(runs.value == 3)
        #expect(try await store.value(Int.self, for: Self.key) == 3)
        #expect(try await store.recordedEffectCount() == 2)

        // The record survives a restart.
        await store.close()
        let reopened = try await SQLiteStateStore.open(directory: directory.path)
        let afterRestart = try await UpdateEffectScope.withScope(updateID: 7, replay: true) {
            try await Self.increment(reopened, runs: runs)
        }
        #expect(afterRestart == first)
        #expect(runs.value == 3)
        await reopened.close()
    }

    @Test func voidTransactionsAreRecordedToo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let runs = RunCounter()
        for _ in 0..<2 {
            try await UpdateEffectScope.withScope(updateID: 7) {
                try await store.transaction { tx in
                    runs.increment()
                    try tx.set((try tx.value(Int.self, for: Self.key) ?? 0) + 1, for: Self.key)
                }
            }
        }
        #expect(runs.value == 1)
        #expect(try await store.value(Int.self, for: Self.key) == 1)
        await store.close()
    }

    @Test func aReplayRunsOnlyTheTransactionsThatDidNotCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let ledger = BankLedger(store: store)
        _ = try await ledger.open(1)
        _ = try await ledger.open(2)
        // The first run commits transfer 0 and "crashes" before transfer 1; the replay runs both.
        let first = try await UpdateEffectScope.withScope(updateID: 9) {
            try await ledger.transfer(30, from: 1, to: 2)
        }
        let replay = try await UpdateEffectScope.withScope(updateID: 9, replay: true) {
            [try await ledger.transfer(30, from: 1, to: 2), try await ledger.transfer(500, from: 1, to: 2)]
        }
        #expect(first == .done)
        #expect(replay == [.done, .insufficientFunds(balance: 70)])
        #expect(try await ledger.balance(of: 1) == 70)
        #expect(try await ledger.balance(of: 2) == 130)
        await store.close()
    }

    @Test func aThrowingBodyRecordsNothingAndRunsAgainOnReplay() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let runs = RunCounter()
        for _ in 0..<2 {
            await #expect(throws: MarkerError.self) {
                try await UpdateEffectScope.withScope(updateID: 3) {
                    try await store.transaction { tx in
                        runs.increment()
                        try tx.set(1, for: Self.key)
                        throw MarkerError()
                    }
                }
            }
        }
        #expect(runs.value == 2)
        #expect(try await store.recordedEffectCount() == 0)
        #expect(try await store.value(Int.self, for: Self.key) == nil)
        await store.close()
    }

    @Test func aRecordedResultThatIsNotDecodableIsAClearError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let first = try await UpdateEffectScope.withScope(updateID: 4) {
            try await store.transaction { _ in Opaque(value: 1) }
        }
        #expect(first == Opaque(value: 1))
        let error = await #expect(throws: StateError.self) {
            try await UpdateEffectScope.withScope(updateID: 4) {
                try await store.transaction { _ in Opaque(value: 2) }
            }
        }
        #expect(error == .resultNotReplayable(updateID: 4, sequence: 0, resultType: "Opaque"))
        #expect(error?.description.contains("Codable") == true)
        await store.close()
    }

    @Test func forgottenAndPrunedEffectsNoLongerReplay() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let runs = RunCounter()
        for update in Int64(1)...3 {
            _ = try await UpdateEffectScope.withScope(updateID: update) { try await Self.increment(store, runs: runs) }
        }
        #expect(try await store.pruneEffects(olderThan: .seconds(3600)) == 0)
        #expect(try await store.forgetEffects(updateID: 2) == 1)
        #expect(try await store.recordedEffectCount() == 2)
        let rerun = try await UpdateEffectScope.withScope(updateID: 2) { try await Self.increment(store, runs: runs) }
        #expect(rerun.count == 4)
        #expect(runs.value == 4)
        #expect(try await store.pruneEffects(olderThan: .seconds(-3600)) == 3)
        #expect(try await store.recordedEffectCount() == 0)
        await store.close()
    }
}
