import CSQLite
import FoundationEssentials
import Synchronization
import TGBotDispatch

/// A durable ``TGBotDispatch/StateStore`` on SQLite: user, chat, bot and conversation data that survive
/// restarts, in `<directory>/state.sqlite3` (WAL mode, `synchronous=FULL`: a transaction that returned is on
/// disk).
///
/// ```swift
/// let store = try await SQLiteStateStore.open(directory: "/var/lib/tgbotd")
/// let ledger = BankLedger(store: store)
/// _ = try await ledger.transfer(10, from: alice, to: bob)   // committed and fsynced when it returns
/// await store.close()
/// ```
///
/// **Group commit.** ``transaction(_:)`` queues its body; one writer queue takes every body queued since its
/// last commit and runs each inside its own `SAVEPOINT` of one `BEGIN IMMEDIATE … COMMIT`, so a burst of
/// concurrent transactions shares one fsync. A body that throws rolls back to its savepoint only; every caller
/// is resumed after the `COMMIT` succeeded, and if it fails, every caller of the batch gets the error. Bodies are
/// synchronous and run on the writer queue, one after another, so they are serializable; they read and write
/// SQLite directly, seeing their own writes and everything committed before.
///
/// **Busy.** When another process holds the write lock, `BEGIN`/`COMMIT` are retried with backoff until
/// `busyDeadline`, then the batch fails with ``TGBotDispatch/StateError/unavailable(_:)`` naming the lock.
///
/// **Exactly-once effects.** A transaction started while ``TGBotDispatch/UpdateEffectScope/current`` is set
/// takes the scope's next sequence number; its commit also records `(update_id, seq)` with its JSON-encoded
/// result. When the update is handled again after a crash, that transaction's body does not run: the recorded
/// result is returned. So results of transactions run by handlers should be `Codable` (`Void` needs nothing);
/// a recorded transaction whose result type is not `Decodable` fails on replay with
/// ``TGBotDispatch/StateError/resultNotReplayable(updateID:sequence:resultType:)``. A body that throws records
/// nothing and runs again on replay. Recorded effects are kept until ``pruneEffects(olderThan:)`` or
/// ``forgetEffects(updateID:)``.
///
/// Values are stored as JSON in a `(scope, name)` table; reading a value as a type it does not decode to
/// throws ``TGBotDispatch/StateError/typeMismatch(key:stored:requested:)``.
///
/// Sendable without `@unchecked`: immutable `let`s of Sendable types (`SQLiteExecutor` confines the connection
/// to its serial queue; the queue state is in a `Mutex`).
public final class SQLiteStateStore: StateStore {
    /// Commit counters, for tests and diagnostics. `transactions / commits` is the average group size.
    public struct Statistics: Sendable, Hashable {
        /// Batches committed.
        public var commits = 0
        /// Transactions and housekeeping operations carried by those batches (failed bodies included).
        public var transactions = 0
        /// Times a `BEGIN` or `COMMIT` found the database locked by another connection and was retried.
        public var busyRetries = 0
    }

    /// The database file's path.
    public let path: String
    /// How long a batch waits for another connection's lock before failing.
    public let busyDeadline: Duration
    let writer: SQLiteExecutor
    let queue = Mutex(StateQueueState())

    private init(path: String, busyDeadline: Duration, writer: SQLiteExecutor) {
        self.path = path
        self.busyDeadline = busyDeadline
        self.writer = writer
    }

    /// Opens (creating when missing) `<directory>/state.sqlite3`, creating the directory too, and migrates its
    /// schema to the latest version.
    ///
    /// - Parameters:
    ///   - directory: The data directory.
    ///   - busyDeadline: How long opening, and later each batch, waits while another connection holds the lock.
    /// - Throws: ``StoreError`` naming the path and the cause when the directory cannot be created, the file is
    ///   not writable, is not a database, is a database that is not a state store, was written by a newer build,
    ///   or stays locked. An existing file is never deleted or overwritten.
    public static func open(
        directory: String, busyDeadline: Duration = .seconds(5)
    ) async throws(StoreError) -> SQLiteStateStore {
        let path = StoreFiles.path(in: directory, named: "state.sqlite3")
        let writer = SQLiteExecutor(label: "tgbotd.store.state-writer")
        try await writer.open { () throws(StoreError) in
            try UpdateJournal.createDirectory(directory)
            let connection = try SQLiteConnection(
                path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busyTimeout: busyDeadline)
            guard !connection.isReadOnly else {
                throw StoreError(
                    operation: "open", path: path, code: SQLITE_READONLY,
                    message: "the state file or its directory is not writable")
            }
            try StateSchema.prepare(connection)
            // From now on batches retry BUSY themselves (with backoff, up to busyDeadline); SQLite's own
            // handler only smooths short waits.
            connection.setBusyTimeout(.milliseconds(10))
            return connection
        }
        return SQLiteStateStore(path: path, busyDeadline: busyDeadline, writer: writer)
    }

    public func transaction<Result: Sendable>(
        _ body: @Sendable (any StateTransaction) throws -> Result
    ) async throws -> Result {
        let effect = UpdateEffectScope.current.map { EffectID(updateID: $0.updateID, sequence: $0.nextSequence()) }
        // The body runs on the writer queue while this task waits for it; `PendingTransaction` drops it before
        // resuming us, so it never outlives this call.
        return try await withoutActuallyEscaping(body) {
            (body: @escaping PendingTransaction<Result>.Body) async throws -> Result in
            try await withCheckedThrowingContinuation { continuation in
                enqueue(PendingTransaction(body: body, effect: effect, continuation: continuation))
            }
        }
    }

    /// Deletes recorded effects older than `age`. Updates whose effects are gone must not be replayed any more
    /// (keep `age` above the journal's replay and de-duplication window).
    ///
    /// - Returns: the number of records deleted.
    @discardableResult
    public func pruneEffects(olderThan age: Duration) async throws -> Int {
        let cutoff = UpdateJournal.nowMilliseconds() - age.milliseconds
        return try await perform { writer throws(StoreError) in
            let statement = try writer.connection.cached(
                "DELETE FROM effects WHERE created_at < ?1", operation: "prune effects")
            defer { statement.reset() }
            try statement.bind(cutoff, at: 1)
            _ = try statement.step()
            return writer.connection.changes
        }
    }

    /// Deletes the recorded effects of `updateID`, once no replay of it can happen: only after its completion
    /// mark has committed in the journal (forgetting first and crashing before the mark would let the replay
    /// apply the effects again; the other order at worst leaves rows for ``pruneEffects(olderThan:)``).
    ///
    /// - Returns: the number of records deleted.
    @discardableResult
    public func forgetEffects(updateID: Int64) async throws -> Int {
        try await perform { writer throws(StoreError) in
            let statement = try writer.connection.cached(
                "DELETE FROM effects WHERE update_id = ?1", operation: "forget effects")
            defer { statement.reset() }
            try statement.bind(updateID, at: 1)
            _ = try statement.step()
            return writer.connection.changes
        }
    }

    /// Every stored value as its JSON text, for tests and diagnostics. Keys whose scope this build cannot parse
    /// are skipped.
    public func entries() async throws(StoreError) -> [StateKey: String] {
        try await writer.run { connection throws(StoreError) in
            let statement = try connection.prepare("SELECT scope, name, value FROM state", operation: "list state")
            var entries: [StateKey: String] = [:]
            while try statement.step() {
                guard let scope = StateScope(storageDescription: statement.text(at: 0)) else { continue }
                entries[StateKey(scope, statement.text(at: 1))] = statement.text(at: 2)
            }
            return entries
        }
    }

    /// The number of recorded effects, for tests and diagnostics.
    public func recordedEffectCount() async throws(StoreError) -> Int {
        try await writer.run { connection throws(StoreError) in
            Int(try connection.scalarInt("SELECT count(*) FROM effects", operation: "count effects"))
        }
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    public func schemaVersion() async throws(StoreError) -> Int64 {
        try await writer.run { connection throws(StoreError) in
            try connection.scalarInt("PRAGMA user_version", operation: "read schema version")
        }
    }

    /// The commit counters so far.
    public var statistics: Statistics { queue.withLock { $0.statistics } }

    /// Refuses new transactions, waits for the queued ones to commit, and closes the connection.
    public func close() async {
        queue.withLock { $0.isClosed = true }
        await writer.close()
    }

    private func perform<Value: Sendable>(
        _ operation: @escaping @Sendable (StateWriter) throws(StoreError) -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(PendingOperation(operation, continuation: continuation))
        }
    }

}

extension StateScope {
    /// Parses ``description`` back (`bot`, `chat:<id>`, `user:<id>`, `conversation:<chat>:<user>`).
    init?(storageDescription text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch (parts.first, parts.count) {
        case ("bot", 1): self = .bot
        case ("chat", 2): guard let id = Int64(parts[1]) else { return nil }; self = .chat(id)
        case ("user", 2): guard let id = Int64(parts[1]) else { return nil }; self = .user(id)
        case ("conversation", 3):
            guard let chat = Int64(parts[1]), let user = Int64(parts[2]) else { return nil }
            self = .conversation(chat: chat, user: user)
        default: return nil
        }
    }
}
