import CSQLite
import Glibc
import Synchronization

/// The jobs queued since the writer's last commit, guarded by the store's `Mutex`.
struct StateQueueState: Sendable {
    var queued: [any StateWriteJob] = []
    /// Whether a drain is scheduled or running on the writer queue (at most one is).
    var isDraining = false
    var isClosed = false
    var statistics = SQLiteStateStore.Statistics()
}

extension SQLiteStateStore {
    /// Queues `job` for the next batch, starting a drain on the writer queue unless one is running.
    func enqueue(_ job: any StateWriteJob) {
        let (accepted, startDrain) = queue.withLock { state -> (Bool, Bool) in
            guard !state.isClosed else { return (false, false) }
            state.queued.append(job)
            guard !state.isDraining else { return (true, false) }
            state.isDraining = true
            return (true, true)
        }
        guard accepted else {
            job.finish(StoreError(operation: "transaction", path: path, code: nil, message: "the store is closed"))
            return
        }
        if startDrain {
            writer.submit { connection in self.drain(connection) }
        }
    }

    /// Runs on the writer queue: commits batch after batch until nothing is queued.
    private func drain(_ connection: Result<SQLiteConnection, StoreError>) {
        while true {
            var jobs = queue.withLock { state -> [any StateWriteJob] in
                let jobs = state.queued
                state.queued = []
                if jobs.isEmpty { state.isDraining = false }
                return jobs
            }
            if jobs.isEmpty { return }
            switch connection {
            case .success(let connection): commit(jobs, on: connection)
            case .failure(let error): for job in jobs { job.finish(error) }
            }
            jobs.removeAll()
        }
    }

    /// Runs `jobs` in one `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint, then resumes their callers.
    private func commit(_ jobs: [any StateWriteJob], on connection: SQLiteConnection) {
        let deadline = ContinuousClock.now + busyDeadline
        do throws(StoreError) {
            try retryingBusy("begin state batch", until: deadline) { () throws(StoreError) in
                try connection.exec("BEGIN IMMEDIATE", operation: "begin state batch")
            }
            do throws(StoreError) {
                let writer = StateWriter(connection: connection, now: UpdateJournal.nowMilliseconds())
                for job in jobs {
                    try connection.exec("SAVEPOINT job", operation: "begin state transaction")
                    if !job.run(writer) {
                        try connection.exec("ROLLBACK TO job", operation: "roll back state transaction")
                    }
                    try connection.exec("RELEASE job", operation: "end state transaction")
                }
                try retryingBusy("commit state batch", until: deadline) { () throws(StoreError) in
                    try connection.exec("COMMIT", operation: "commit state batch")
                }
            } catch {
                try? connection.exec("ROLLBACK", operation: "roll back state batch")
                throw error
            }
        } catch {
            for job in jobs { job.finish(error) }
            return
        }
        queue.withLock {
            $0.statistics.commits += 1
            $0.statistics.transactions += jobs.count
        }
        for job in jobs { job.finish(nil) }
    }

    /// Runs `step`, retrying with exponential backoff (1 ms doubling to 50 ms) while the database is busy or
    /// locked by another connection, until `deadline`.
    ///
    /// Sleeping here is fine: this runs on the store's own writer queue, never on the Swift cooperative pool.
    private func retryingBusy(
        _ operation: String, until deadline: ContinuousClock.Instant, _ step: () throws(StoreError) -> Void
    ) throws(StoreError) {
        var backoff = Duration.milliseconds(1)
        while true {
            do throws(StoreError) {
                try step()
                return
            } catch {
                guard error.primaryCode == SQLITE_BUSY || error.primaryCode == SQLITE_LOCKED else { throw error }
                guard ContinuousClock.now < deadline else {
                    throw StoreError(
                        operation: operation, path: path, code: error.code,
                        message:
                            "the database stayed locked by another connection for longer than \(busyDeadline) "
                            + "(\(error.message))")
                }
                queue.withLock { $0.statistics.busyRetries += 1 }
                usleep(UInt32(clamping: backoff.milliseconds * 1000))
                backoff = min(backoff * 2, .milliseconds(50))
            }
        }
    }
}
