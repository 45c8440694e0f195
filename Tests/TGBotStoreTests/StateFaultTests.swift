import CSQLite
import Foundation
import TGBotDispatch
import TGBotStore
import Testing

/// A second, raw SQLite connection to a store's file — another process's view — that can hold the write lock.
final class RawConnection {
    private var db: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            sqlite3_close_v2(db)
            throw StoreError(operation: "raw open", path: path, code: nil, message: "cannot open")
        }
    }

    deinit { sqlite3_close_v2(db) }

    /// Runs `sql`; with no busy timeout set, it never waits.
    func exec(_ sql: String) throws {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else {
            throw StoreError(operation: sql, path: nil, code: rc, message: String(cString: sqlite3_errmsg(db)))
        }
    }
}

@Suite(.timeLimit(.minutes(1)))
struct StateFaultTests {
    @Test func aTransactionWaitsForAnotherConnectionsLockAndThenCommits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path, busyDeadline: .seconds(30))
        let other = try RawConnection(path: directory.file("state.sqlite3"))
        try other.exec("BEGIN EXCLUSIVE")
        try other.exec("INSERT INTO state VALUES ('bot', 'other', '1', 'Int', 0)")

        async let written: Void = store.set(2, for: StateKey(.bot, "mine"))
        // Wait (bounded) until the writer has met the lock at least once, then let the other side commit.
        var waited = 0
        while store.statistics.busyRetries == 0 && waited < 2_000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        #expect(store.statistics.busyRetries > 0)
        try other.exec("COMMIT")
        try await written

        #expect(try await store.value(Int.self, for: StateKey(.bot, "other")) == 1)
        #expect(try await store.value(Int.self, for: StateKey(.bot, "mine")) == 2)
        await store.close()
    }

    @Test func aLockHeldPastTheDeadlineFailsClearlyAndTheStoreRecovers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStateStore.open(directory: directory.path, busyDeadline: .milliseconds(200))
        let other = try RawConnection(path: directory.file("state.sqlite3"))
        try other.exec("BEGIN EXCLUSIVE")

        let error = await #expect(throws: StateError.self) { try await store.set(1, for: StateKey(.bot, "x")) }
        #expect(error?.description.contains("locked by another connection") == true, "\(String(describing: error))")
        #expect(store.statistics.busyRetries > 0)

        // Every caller of a batch that cannot commit gets the error, and nothing of it is kept.
        let failures = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<5 {
                group.addTask {
                    do {
                        try await store.set(index, for: StateKey(.user(Int64(index)), "v"))
                        return false
                    } catch {
                        return "\(error)".contains("locked by another connection")
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 5)

        try other.exec("ROLLBACK")
        try await store.set(1, for: StateKey(.bot, "x"))
        #expect(try await store.entries() == [StateKey(.bot, "x"): "1"])
        await store.close()
    }

    @Test func refusesASchemaNewerThanThisBuildAndLeavesTheFileUntouched() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let original = try await SQLiteStateStore.open(directory: directory.path)
        try await original.set(1, for: StateKey(.bot, "x"))
        await original.close()
        // user_version is the big-endian integer at header offset 60; make it 99, as a newer build would.
        let path = directory.file("state.sqlite3")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[63] = 99
        try bytes.write(to: URL(fileURLWithPath: path))

        let error = await #expect(throws: StoreError.self) {
            try await SQLiteStateStore.open(directory: directory.path)
        }
        #expect(error?.path == path)
        #expect(error?.description.contains("schema version 99 is newer") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func refusesAFileThatIsNotADatabaseAndLeavesItUntouched() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.sqlite3")
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: path))

        let error = await #expect(throws: StoreError.self) {
            try await SQLiteStateStore.open(directory: directory.path)
        }
        #expect(error?.path == path)
        #expect(error?.description.contains("not a database") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func refusesAnotherProgramsDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("state.sqlite3")
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        #expect(sqlite3_exec(db, "CREATE TABLE foreign_data (x)", nil, nil, nil) == SQLITE_OK)
        sqlite3_close(db)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = await #expect(throws: StoreError.self) {
            try await SQLiteStateStore.open(directory: directory.path)
        }
        #expect(error?.description.contains("not a tgbotd state store") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }
}
