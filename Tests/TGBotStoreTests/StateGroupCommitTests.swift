import TGBotDispatch
import TGBotExamples
import TGBotStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct StateGroupCommitTests {
    static let accounts: [Int64] = [1, 2, 3, 4, 5]

    @Test func concurrentTransfersKeepTheBankTotalAcrossReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let ledger = BankLedger(store: store)
        for account in Self.accounts {
            #expect(try await ledger.open(account) == .opened(balance: BankLedger.openingBalance))
        }
        let expectedTotal = BankLedger.openingBalance * Int64(Self.accounts.count)

        // 8 tasks × 250 transfers with deterministic pseudo-random amounts, some exceeding the balance.
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var random = UInt64(task + 1) &* 0x9E37_79B9_7F4A_7C15
                    var done = 0
                    for _ in 0..<250 {
                        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        let from = Self.accounts[Int(random >> 33) % 5]
                        let to = Self.accounts[(Int(random >> 40) % 4 + Int(random >> 33) % 5 + 1) % 5]
                        let amount = Int64(random >> 50) % 60 + 1
                        if try await ledger.transfer(amount, from: from, to: to) == .done { done += 1 }
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(done > 0)
        let audit = try await ledger.audit()
        #expect(audit.total == expectedTotal)
        #expect(audit.accounts == 5)

        let statistics = store.statistics
        // 5 opens + 2,000 transfers + 1 audit, fewer commits than transactions: bodies shared fsyncs.
        #expect(statistics.transactions == 2_006)
        #expect(statistics.commits < statistics.transactions, "\(statistics)")
        await store.close()

        let reopened = try await SQLiteStateStore.open(directory: directory.path)
        let again = BankLedger(store: reopened)
        let reopenedAudit = try await again.audit()
        #expect(reopenedAudit.total == expectedTotal)
        #expect(reopenedAudit.accounts == 5)
        var sum: Int64 = 0
        for account in Self.accounts {
            let balance = try #require(try await again.balance(of: account))
            #expect(balance >= 0)
            sum += balance
        }
        #expect(sum == expectedTotal)
        await reopened.close()
    }

    @Test func closeWaitsForQueuedTransactionsAndThenRefusesNewOnes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let key = StateKey(.bot, "count")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { try await store.update(Int.self, for: key, default: 0) { $0! += 1 } }
            }
            try await group.waitForAll()
        }
        await store.close()
        let error = await #expect(throws: StateError.self) { try await store.set(1, for: key) }
        #expect(error?.description.contains("closed") == true, "\(String(describing: error))")

        let reopened = try await SQLiteStateStore.open(directory: directory.path)
        #expect(try await reopened.value(Int.self, for: key) == 50)
        await reopened.close()
    }
}
