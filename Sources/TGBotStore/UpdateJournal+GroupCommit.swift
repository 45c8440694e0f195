import CSQLite
import Synchronization
import TGBotTypes

/// One queued write waiting for the next group commit.
enum JournalWrite: Sendable {
    case append(RawUpdate, CheckedContinuation<UpdateJournal.AppendResult, any Error>)
    case complete(Int64, @Sendable (StoreError?) -> Void)
    case probe(CheckedContinuation<Void, any Error>)
}

/// The writes queued since the writer's last commit, guarded by the journal's `Mutex`.
struct GroupCommitState: Sendable {
    var queued: [JournalWrite] = []
    /// Whether a drain is scheduled or running on the writer queue (at most one is).
    var isDraining = false
    var isClosed = false
    var commits = 0
    var committedWrites = 0
}

extension UpdateJournal {
    /// Durably journals `update`, returning only after the transaction holding it has committed (fsynced).
    ///
    /// - Returns: ``AppendResult/duplicate`` when its update_id is already journaled, completed or not.
    /// - Throws: ``StoreError`` when the commit failed (disk full, I/O error, closed journal); nothing of the
    ///   failed batch is kept, so the caller must not acknowledge the update.
    public func append(_ update: RawUpdate) async throws -> AppendResult {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.append(update, continuation))
        }
    }

    /// Marks `updateID` as handled, returning after the mark has committed. Batched like ``append(_:)``.
    public func complete(updateID: Int64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enqueue(
                .complete(updateID) { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                })
        }
    }

    /// Queues the completion mark of `updateID` for the next group commit without waiting for it; `done` is
    /// called on the writer queue with nil once it committed, or with the error (keep `done` cheap).
    public func complete(updateID: Int64, done: @escaping @Sendable (StoreError?) -> Void) {
        enqueue(.complete(updateID, done))
    }

    /// Commits a small real write (a heartbeat row) through the same group commit as intake: succeeds only when
    /// the journal can commit again, so a fault monitor learns when a full disk or a lock has cleared.
    public func probe() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enqueue(.probe(continuation))
        }
    }

    /// How many write transactions have committed, and how many appends and completions they carried.
    /// `writes / commits` is the average group size.
    public var commitStatistics: (commits: Int, writes: Int) {
        batch.withLock { ($0.commits, $0.committedWrites) }
    }

    private func enqueue(_ write: JournalWrite) {
        let (accepted, startDrain) = batch.withLock { state -> (Bool, Bool) in
            guard !state.isClosed else { return (false, false) }
            state.queued.append(write)
            guard !state.isDraining else { return (true, false) }
            state.isDraining = true
            return (true, true)
        }
        guard accepted else {
            Self.fail([write], StoreError(operation: "write", path: path, code: nil, message: "the journal is closed"))
            return
        }
        if startDrain {
            writer.submit { connection in self.drain(connection) }
        }
    }

    /// Runs on the writer queue: commits batch after batch until nothing is queued.
    private func drain(_ connection: Result<SQLiteConnection, StoreError>) {
        while true {
            let writes = batch.withLock { state -> [JournalWrite] in
                let writes = state.queued
                state.queued = []
                if writes.isEmpty { state.isDraining = false }
                return writes
            }
            if writes.isEmpty { return }
            switch connection {
            case .success(let connection): commit(writes, on: connection)
            case .failure(let error): Self.fail(writes, error)
            }
        }
    }

    private func commit(_ writes: [JournalWrite], on connection: SQLiteConnection) {
        var appendResults: [AppendResult] = []
        let started = ContinuousClock.now
        do throws(StoreError) {
            try connection.exec("BEGIN IMMEDIATE", operation: "begin journal batch")
            do throws(StoreError) {
                appendResults = try write(writes, on: connection)
                try connection.exec("COMMIT", operation: "commit journal batch")
            } catch {
                try? connection.exec("ROLLBACK", operation: "roll back journal batch")
                throw error
            }
        } catch {
            Self.fail(writes, error)
            return
        }
        batch.withLock {
            $0.commits += 1
            $0.committedWrites += writes.count
        }
        commitObserver?(ContinuousClock.now - started, writes.count)
        var results = appendResults.makeIterator()
        for write in writes {
            switch write {
            case .append(_, let continuation): continuation.resume(returning: results.next() ?? .appended)
            case .complete(_, let done): done(nil)
            case .probe(let continuation): continuation.resume()
            }
        }
    }

    private func write(
        _ writes: [JournalWrite], on connection: SQLiteConnection
    ) throws(StoreError)
        -> [AppendResult]
    {
        let insert = try connection.prepare(
            "INSERT OR IGNORE INTO journal (update_id, received_at, body) VALUES (?1, ?2, ?3)",
            operation: "append update")
        let complete = try connection.prepare(
            "UPDATE journal SET completed_at = ?2, body = x'' WHERE update_id = ?1 AND completed_at IS NULL",
            operation: "complete update")
        let heartbeat = try connection.prepare(
            "INSERT OR REPLACE INTO heartbeat (id, written_at) VALUES (1, ?1)", operation: "write heartbeat")
        let now = Self.nowMilliseconds()
        var results: [AppendResult] = []
        for write in writes {
            switch write {
            case .append(let update, _):
                insert.reset()
                try insert.bind(update.updateID, at: 1)
                try insert.bind(now, at: 2)
                try insert.bind(update.body, at: 3)
                _ = try insert.step()
                results.append(connection.changes == 1 ? .appended : .duplicate)
            case .complete(let updateID, _):
                complete.reset()
                try complete.bind(updateID, at: 1)
                try complete.bind(now, at: 2)
                _ = try complete.step()
            case .probe:
                heartbeat.reset()
                try heartbeat.bind(now, at: 1)
                _ = try heartbeat.step()
            }
        }
        return results
    }

    private static func fail(_ writes: [JournalWrite], _ error: StoreError) {
        for write in writes {
            switch write {
            case .append(_, let continuation): continuation.resume(throwing: error)
            case .complete(_, let done): done(error)
            case .probe(let continuation): continuation.resume(throwing: error)
            }
        }
    }
}
