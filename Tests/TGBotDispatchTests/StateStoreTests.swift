import TGBotDispatch
import Testing

@Suite struct StateStoreTests {
    let store = InMemoryStateStore()

    @Test func setReadAndRemove() async throws {
        let key = StateKey(.chat(7), "title")
        #expect(try await store.value(String.self, for: key) == nil)
        try await store.set("hello", for: key)
        #expect(try await store.value(String.self, for: key) == "hello")
        try await store.set(String?.none, for: key)
        #expect(try await store.value(String.self, for: key) == nil)
        #expect(store.keys.isEmpty)
    }

    @Test func readingWithAnotherTypeFails() async throws {
        let key = StateKey(.bot, "count")
        try await store.set(3, for: key)
        await #expect(throws: StateError.self) { try await store.value(String.self, for: key) }
    }

    @Test func scopesAreSeparate() async throws {
        let alice = ScopedState(store: store, scope: .user(1))
        let bob = ScopedState(store: store, scope: .user(2))
        try await alice.set("lang", to: "en")
        try await bob.set("lang", to: "de")
        #expect(try await alice.value("lang", as: String.self) == "en")
        #expect(try await bob.value("lang", as: String.self) == "de")
        #expect(try await ScopedState(store: store, scope: .bot).value("lang", as: String.self) == nil)
        #expect(alice.key("lang").description == "user:1/lang")
    }

    @Test func throwingTransactionCommitsNothing() async throws {
        let a = StateKey(.user(1), "a")
        let b = StateKey(.user(2), "b")
        try await store.set(1, for: a)
        await #expect(throws: TestFailure.self) {
            try await store.transaction { tx in
                try tx.set(2, for: a)
                try tx.set(2, for: b)
                #expect(try tx.value(Int.self, for: a) == 2, "a transaction reads its own writes")
                throw TestFailure(reason: "rollback")
            }
        }
        #expect(try await store.value(Int.self, for: a) == 1)
        #expect(try await store.value(Int.self, for: b) == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentUpdatesLoseNoIncrement() async throws {
        let counter = ScopedState(store: store, scope: .bot)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2_000 {
                group.addTask {
                    _ = try await counter.update("hits", Int.self, default: 0) { value in value! += 1 }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await counter.value("hits", as: Int.self) == 2_000)
    }

    @Test(.timeLimit(.minutes(1)))
    func transactionsKeepAnInvariantAcrossKeys() async throws {
        let keys = (0..<4).map { StateKey(.user(Int64($0)), "units") }
        try await store.transaction { tx in for key in keys { try tx.set(25, for: key) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<2_000 {
                let from = keys[index % 4]
                let to = keys[(index * 7 + 1) % 4]
                group.addTask {
                    try await store.transaction { tx in
                        let balance = try tx.value(Int.self, for: from) ?? 0
                        guard from != to, balance >= 3 else { return }
                        try tx.set(balance - 3, for: from)
                        try tx.set((try tx.value(Int.self, for: to) ?? 0) + 3, for: to)
                    }
                }
            }
            try await group.waitForAll()
        }
        let balances = try await store.transaction { tx in try keys.map { try tx.value(Int.self, for: $0) ?? 0 } }
        #expect(balances.reduce(0, +) == 100)
        #expect(balances.allSatisfy { $0 >= 0 })
    }
}
