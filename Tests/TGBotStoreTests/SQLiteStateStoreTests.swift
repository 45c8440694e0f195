import Foundation
import Synchronization
import TGBotDispatch
import TGBotStore
import Testing

/// A struct value, to check that any `Codable` type round-trips through the JSON column.
struct Profile: Codable, Sendable, Equatable {
    var name: String
    var tags: [String]
}

/// Counts how often transaction bodies actually ran (bodies are `@Sendable` and synchronous).
final class RunCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

struct MarkerError: Error {}

@Suite(.timeLimit(.minutes(1)))
struct SQLiteStateStoreTests {
    @Test func roundTripsValuesInEveryScope() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let scopes: [StateScope] = [.bot, .chat(-100_123), .user(42), .conversation(chat: -100_123, user: 42)]
        let profile = Profile(name: "Ada \u{1F600} \"quoted\"", tags: ["a", "b"])
        try await store.transaction { tx in
            for (index, scope) in scopes.enumerated() {
                try tx.set(Int64(index), for: StateKey(scope, "n"))
            }
            try tx.set("step-2", for: StateKey(.conversation(chat: -100_123, user: 42), "dialogue"))
            try tx.set(profile, for: StateKey(.user(42), "profile"))
            try tx.set([1, 2, 3], for: StateKey(.chat(-100_123), "list"))
        }
        for (index, scope) in scopes.enumerated() {
            #expect(try await store.value(Int64.self, for: StateKey(scope, "n")) == Int64(index))
        }
        #expect(try await store.value(Profile.self, for: StateKey(.user(42), "profile")) == profile)
        #expect(try await store.value([Int].self, for: StateKey(.chat(-100_123), "list")) == [1, 2, 3])
        #expect(try await store.value(Int.self, for: StateKey(.user(43), "n")) == nil)

        let entries = try await store.entries()
        #expect(entries.count == 7)
        #expect(entries[StateKey(.conversation(chat: -100_123, user: 42), "dialogue")] == "\"step-2\"")
        #expect(entries[StateKey(.bot, "n")] == "0")

        // Setting nil removes the key.
        try await store.set(Int64?.none, for: StateKey(.bot, "n"))
        #expect(try await store.value(Int64.self, for: StateKey(.bot, "n")) == nil)
        #expect(try await store.entries().count == 6)
        await store.close()
    }

    @Test func readsInsideABodySeeItsOwnWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let key = StateKey(.bot, "counter")
        let seen = try await store.transaction { tx in
            try tx.set(1, for: key)
            let first = try tx.value(Int.self, for: key)
            try tx.set(nil as Int?, for: key)
            let second = try tx.value(Int.self, for: key)
            try tx.set(3, for: key)
            return [first, second, try tx.value(Int.self, for: key)]
        }
        #expect(seen == [1, nil, 3])
        await store.close()
    }

    @Test func aThrowingBodyLeavesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        try await store.set("kept", for: StateKey(.bot, "a"))
        await #expect(throws: MarkerError.self) {
            try await store.transaction { tx in
                try tx.set("changed", for: StateKey(.bot, "a"))
                try tx.set("new", for: StateKey(.bot, "b"))
                throw MarkerError()
            }
        }
        #expect(try await store.entries() == [StateKey(.bot, "a"): "\"kept\""])

        // Within one batch (concurrent callers), a throwing body rolls back only its own savepoint.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        try await store.transaction { tx in
                            try tx.set(index, for: StateKey(.user(Int64(index)), "v"))
                            if index.isMultiple(of: 2) { throw MarkerError() }
                        }
                        #expect(!index.isMultiple(of: 2))
                    } catch is MarkerError {
                        #expect(index.isMultiple(of: 2))
                    }
                }
            }
            try await group.waitForAll()
        }
        let kept = (0..<40).filter { !$0.isMultiple(of: 2) }.map { StateKey(.user(Int64($0)), "v") }
        #expect(Set(try await store.entries().keys) == Set(kept + [StateKey(.bot, "a")]))
        await store.close()
    }

    @Test func readingAsAnotherTypeIsATypeMismatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path)
        let key = StateKey(.user(7), "visits")
        try await store.set(12, for: key)
        let error = await #expect(throws: StateError.self) { try await store.value(String.self, for: key) }
        #expect(error == .typeMismatch(key: key, stored: "Int", requested: "String"))
        await #expect(throws: StateError.self) { try await store.value(Profile.self, for: key) }
        #expect(try await store.value(Int.self, for: key) == 12)
        await store.close()
    }

    @Test func valuesSurviveCloseAndReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await SQLiteStateStore.open(directory: directory.path)
        try await first.set(Profile(name: "x", tags: []), for: StateKey(.user(1), "profile"))
        try await first.set(5, for: StateKey(.conversation(chat: 2, user: 1), "step"))
        #expect(try await first.schemaVersion() == 2)
        await first.close()
        await #expect(throws: StateError.self) { try await first.value(Int.self, for: StateKey(.bot, "x")) }

        let second = try await SQLiteStateStore.open(directory: directory.path)
        #expect(
            try await second.value(Profile.self, for: StateKey(.user(1), "profile")) == Profile(name: "x", tags: []))
        #expect(try await second.value(Int.self, for: StateKey(.conversation(chat: 2, user: 1), "step")) == 5)
        #expect(try await second.schemaVersion() == 2)
        await second.close()
        #expect(FileManager.default.fileExists(atPath: directory.file("state.sqlite3")))
    }
}
