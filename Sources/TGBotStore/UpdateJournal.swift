import CSQLite
import FoundationEssentials
import Glibc
import Synchronization
import TGBotTypes

/// The durable intake journal: every accepted update is committed (and fsynced) to
/// `<dataDir>/journal.sqlite3` before the webhook answers 200, handled once, and replayed after a crash.
///
/// Writes use **group commit**: ``append(_:)`` and ``complete(updateID:)`` queue their work, and one writer
/// queue takes everything queued since its last commit and writes it in one transaction — one fsync for the
/// whole batch — then resumes every waiting caller. While a commit is on disk the next batch gathers, so
/// many concurrent webhook requests share one fsync. Reads and housekeeping (``pending()``, ``prune(keepingCompletedFor:)``,
/// ``checkpoint()``) use a second connection on their own queue, so they do not stall intake (WAL readers
/// never block the writer).
///
/// The class is Sendable without `@unchecked`: its stored properties are immutable references to Sendable
/// values (`SQLiteExecutor`, which confines each connection to its own serial queue, and a `Mutex`).
public final class UpdateJournal: Sendable {
    /// What ``append(_:)`` did with an update.
    public enum AppendResult: Sendable, Equatable {
        /// The update is new and is now durably journaled.
        case appended
        /// The update_id was already journaled (completed or not); nothing was written.
        case duplicate
    }

    /// The journal file's path.
    public let path: String
    let writer: SQLiteExecutor
    let reader: SQLiteExecutor
    let batch = Mutex(GroupCommitState())
    /// Told the duration (including the fsync) and the number of writes of every successful group commit.
    let commitObserver: (@Sendable (Duration, Int) -> Void)?

    private init(
        path: String, writer: SQLiteExecutor, reader: SQLiteExecutor,
        commitObserver: (@Sendable (Duration, Int) -> Void)?
    ) {
        self.path = path
        self.writer = writer
        self.reader = reader
        self.commitObserver = commitObserver
        self.fileIdentity = FileIdentity(path: path)
    }

    /// Whether the file at ``path`` is still the one this journal writes to. False when the file or its
    /// directory was deleted (writes would go to an unlinked file and be lost at the next start) or replaced.
    public var isFileInPlace: Bool {
        guard let fileIdentity else { return false }
        return FileIdentity(path: path) == fileIdentity
    }

    /// The device and inode of the file opened, to notice when it is deleted or replaced under the daemon.
    let fileIdentity: FileIdentity?

    /// The journal file's path in `directory`.
    public static func path(in directory: String) -> String {
        StoreFiles.path(in: directory, named: "journal.sqlite3")
    }

    /// Opens (creating when missing) the journal in `directory`, creating the directory too.
    ///
    /// - Throws: ``StoreError`` naming the path and the cause when the directory cannot be created, the file
    ///   cannot be opened for writing, is not a database, is a database that is not a journal, or is locked
    ///   beyond `busyTimeout`. An existing file is never deleted or overwritten.
    ///
    /// - Parameter commitObserver: told the duration (fsync included) and size of every group commit, e.g. for
    ///   a latency histogram. Runs on the writer queue: keep it cheap.
    public static func open(
        directory: String, busyTimeout: Duration = .seconds(5),
        commitObserver: (@Sendable (Duration, Int) -> Void)? = nil
    ) async throws(StoreError)
        -> UpdateJournal
    {
        let path = Self.path(in: directory)
        let writer = SQLiteExecutor(label: "tgbotd.store.journal-writer")
        let reader = SQLiteExecutor(label: "tgbotd.store.journal-reader")
        try await writer.open { () throws(StoreError) in
            try createDirectory(directory)
            let connection = try SQLiteConnection(
                path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busyTimeout: busyTimeout)
            guard !connection.isReadOnly else {
                throw StoreError(
                    operation: "open", path: path, code: SQLITE_READONLY,
                    message: "the journal file or its directory is not writable")
            }
            try JournalSchema.prepare(connection)
            return connection
        }
        do throws(StoreError) {
            try await reader.open { () throws(StoreError) in
                let connection = try SQLiteConnection(
                    path: path, flags: SQLITE_OPEN_READWRITE, busyTimeout: busyTimeout)
                try connection.exec("PRAGMA synchronous=FULL", operation: "set synchronous")
                try JournalSchema.limitWALSize(connection)
                return connection
            }
        } catch {
            await writer.close()
            throw error
        }
        return UpdateJournal(path: path, writer: writer, reader: reader, commitObserver: commitObserver)
    }

    /// Every journaled update not yet completed, in ascending update_id order: what to replay at start.
    public func pending() async throws(StoreError) -> [RawUpdate] {
        try await reader.run { connection throws(StoreError) in
            let statement = try connection.prepare(
                "SELECT update_id, body FROM journal WHERE completed_at IS NULL ORDER BY update_id",
                operation: "read pending updates")
            var updates: [RawUpdate] = []
            while try statement.step() {
                updates.append(RawUpdate(updateID: statement.int64(at: 0), body: statement.bytes(at: 1)))
            }
            return updates
        }
    }

    /// Deletes completed entries older than `window`, which is kept so redeliveries are still recognised.
    ///
    /// Deletes in chunks of `chunk` rows, each its own short transaction, so the intake writer is never kept
    /// waiting for the lock longer than one chunk takes.
    ///
    /// - Returns: the number of entries deleted.
    @discardableResult
    public func prune(keepingCompletedFor window: Duration, chunk: Int = 2000) async throws(StoreError) -> Int {
        let cutoff = Self.nowMilliseconds() - window.milliseconds
        var total = 0
        while true {
            let deleted = try await reader.run { connection throws(StoreError) in
                let statement = try connection.prepare(
                    """
                    DELETE FROM journal WHERE update_id IN (
                        SELECT update_id FROM journal
                        WHERE completed_at IS NOT NULL AND completed_at <= ?1 LIMIT ?2)
                    """,
                    operation: "prune completed updates")
                try statement.bind(cutoff, at: 1)
                try statement.bind(Int64(max(1, chunk)), at: 2)
                _ = try statement.step()
                return connection.changes
            }
            total += deleted
            if deleted < max(1, chunk) { return total }
        }
    }

    /// Copies committed WAL frames into the database file without waiting for readers or writers
    /// (`wal_checkpoint(PASSIVE)`), so the WAL stays bounded without stalling intake.
    ///
    /// - Returns: the WAL size in frames and how many of them are now checkpointed.
    @discardableResult
    public func checkpoint() async throws(StoreError) -> (walFrames: Int, checkpointedFrames: Int) {
        try await reader.run { connection throws(StoreError) in
            let statement = try connection.prepare("PRAGMA wal_checkpoint(PASSIVE)", operation: "checkpoint")
            guard try statement.step() else { return (0, 0) }
            return (Int(statement.int64(at: 1)), Int(statement.int64(at: 2)))
        }
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    public func schemaVersion() async throws(StoreError) -> Int64 {
        try await reader.run { connection throws(StoreError) in
            try connection.scalarInt("PRAGMA user_version", operation: "read schema version")
        }
    }

    /// Refuses new writes, waits for the queued ones to commit, and closes both connections.
    public func close() async {
        batch.withLock { $0.isClosed = true }
        await writer.close()
        await reader.close()
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    /// `mkdir -p` with the reason in words ("Not a directory", "Read-only file system"), not a Foundation code.
    static func createDirectory(_ directory: String) throws(StoreError) {
        var path = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            path += "/" + component
            var info = stat()
            if stat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw StoreError(
                        operation: "create data directory", path: directory, code: nil,
                        message: "\(path) exists and is not a directory")
                }
                continue
            }
            guard mkdir(path, 0o750) == 0 || errno == EEXIST else {
                throw StoreError(
                    operation: "create data directory", path: directory, code: nil,
                    message: "mkdir \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// A file's device and inode numbers.
struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
