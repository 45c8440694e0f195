import CSQLite
import Foundation
import TGBotStore
import TGBotTypes
import Testing

@Suite(.timeLimit(.minutes(1)))
struct JournalFaultTests {
    @Test func createsAMissingDataDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let nested = directory.file("a/b/data")
        let journal = try await UpdateJournal.open(directory: nested)
        #expect(try await journal.append(makeUpdate(1)) == .appended)
        await journal.close()
        #expect(FileManager.default.fileExists(atPath: nested + "/journal.sqlite3"))
    }

    @Test func refusesAFileThatIsNotADatabaseAndLeavesItUntouched() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("journal.sqlite3")
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))

        let error = await #expect(throws: StoreError.self) { try await UpdateJournal.open(directory: directory.path) }
        #expect(error?.path == path)
        #expect(error?.description.contains("not a database") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func refusesAnotherProgramsDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("journal.sqlite3")
        // A database written by a newer build: a real journal whose user_version (header offset 60,
        // big-endian) says 99. The journal must refuse it rather than migrate or rewrite it.
        let other = try TemporaryDirectory()
        defer { other.remove() }
        let journal = try await UpdateJournal.open(directory: other.path)
        await journal.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: other.file("journal.sqlite3")))
        bytes[63] = 99
        try bytes.write(to: URL(fileURLWithPath: path))

        let error = await #expect(throws: StoreError.self) { try await UpdateJournal.open(directory: directory.path) }
        #expect(error?.description.contains("newer") == true, "\(String(describing: error))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    /// `/proc` refuses new files even to root, so this covers an unopenable journal where chmod cannot.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self")))
    func reportsAnUnopenableJournalFile() async throws {
        let error = await #expect(throws: StoreError.self) { try await UpdateJournal.open(directory: "/proc") }
        #expect(error?.path == "/proc/journal.sqlite3")
        #expect(error?.operation == "open")
        #expect(error?.description.contains("unable to open database file") == true, "\(String(describing: error))")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self")))
    func reportsADataDirectoryThatCannotBeCreated() async throws {
        let error = await #expect(throws: StoreError.self) {
            try await UpdateJournal.open(directory: "/proc/tgbotd-no-such/data")
        }
        #expect(error?.operation == "create data directory")
        #expect(error?.path == "/proc/tgbotd-no-such/data")
    }

    /// Another process holding the write lock: appends fail with SQLite's "database is locked" once the busy
    /// timeout passes (intake then answers 503), nothing half-written is kept, and appends work once it lets go.
    @Test func aLockedJournalFailsClearlyAndRecovers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path, busyTimeout: .milliseconds(100))
        let other = try RawConnection(path: directory.file("journal.sqlite3"))
        try other.exec("BEGIN EXCLUSIVE")

        let error = await #expect(throws: StoreError.self) { try await journal.append(makeUpdate(1)) }
        #expect(error?.primaryCode == SQLITE_BUSY, "\(String(describing: error))")
        #expect(error?.description.contains("database is locked") == true, "\(String(describing: error))")
        await #expect(throws: StoreError.self) { try await journal.probe() }

        try other.exec("COMMIT")
        try await journal.probe()
        #expect(try await journal.append(makeUpdate(1)) == .appended, "the failed append left nothing behind")
        await journal.close()
    }
}
