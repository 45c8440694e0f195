import Logging
import Synchronization
import TGBotStore
import TGBotTypes

/// The durable side of intake: journals every accepted update before its 200, recognises redeliveries, marks
/// completions, replays what a crash left unfinished, keeps the journal bounded, and turns storage faults into
/// `503` + failing `/readyz` until they clear — never into a silent loss.
///
/// Lifecycle: ``start(replay:)`` opens `<directory>/journal.sqlite3` and hands the updates a previous run left
/// unfinished to `replay` (before any new update is accepted). A file that is corrupt or not ours is a
/// ``StoreError/isPermanent`` error thrown to the caller: it is never overwritten. Any other failure to open
/// (a missing or read-only directory, a lock, a full disk) leaves the intake **faulted**: every
/// ``append(_:)`` answers ``AppendOutcome/unavailable(reason:)`` and a monitor retries every
/// ``Configuration/probeInterval`` until the journal opens and commits, then replays and accepts again.
/// The same monitor takes over when a commit fails at run time, probing with a real write
/// (``UpdateJournal/probe()``) and re-queuing completion marks that could not be written.
///
/// Sendable without `@unchecked`: immutable `let`s, a `Mutex`, and Sendable references.
public final class DurableIntake: Sendable {
    /// Where and how the journal is kept.
    public struct Configuration: Sendable {
        /// The data directory (created with its parents when missing).
        public var directory: String
        /// How long completed entries are kept so that a redelivery is still recognised (default one hour).
        public var deduplicationWindow: Duration
        /// How often completed entries are pruned and the WAL checkpointed (default 30 s).
        public var housekeepingInterval: Duration
        /// How often a faulted journal is retried and the WAL checkpointed (default 1 s).
        public var probeInterval: Duration
        /// How long SQLite waits for a lock held by another process before a commit fails (default 2 s).
        public var busyTimeout: Duration

        /// Creates a configuration with the defaults listed on each property.
        public init(
            directory: String, deduplicationWindow: Duration = .seconds(3600),
            housekeepingInterval: Duration = .seconds(30), probeInterval: Duration = .seconds(1),
            busyTimeout: Duration = .seconds(2)
        ) {
            self.directory = directory
            self.deduplicationWindow = deduplicationWindow
            self.housekeepingInterval = housekeepingInterval
            self.probeInterval = probeInterval
            self.busyTimeout = busyTimeout
        }
    }

    /// What ``append(_:)`` did.
    public enum AppendOutcome: Sendable, Equatable {
        /// Durably journaled: the update may be acknowledged and must be handled.
        case appended
        /// Already journaled (handled or being handled): acknowledge, do not handle again.
        case duplicate
        /// Not journaled: answer 503 so Telegram delivers it again later.
        case unavailable(reason: String)
    }

    private struct State: Sendable {
        var journal: UpdateJournal?
        /// Why the journal cannot commit, or nil while healthy.
        var fault: String?
        /// Completion marks whose commit failed, written again once the journal recovers.
        var unwrittenCompletions: [Int64] = []
        var monitor: Task<Void, Never>?
        var isClosed = false
    }

    /// The configuration in force.
    public let configuration: Configuration
    private let state = Mutex(State())
    private let logger: Logger
    private let metrics: BotMetrics?
    private let replayHandler = Mutex<(@Sendable ([RawUpdate]) async -> Void)?>(nil)
    private let extraHousekeeping = Mutex<[@Sendable () async -> Void]>([])

    /// Creates the intake; nothing is opened before ``start(replay:)``.
    public init(configuration: Configuration, logger: Logger, metrics: BotMetrics? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    /// Why updates are refused now, or nil while the journal commits.
    public var faultReason: String? { state.withLock { $0.fault } }

    /// The open journal, if any (tests and diagnostics).
    public var journal: UpdateJournal? { state.withLock { $0.journal } }

    /// Opens the journal and replays what a previous run left unfinished, then starts the monitor.
    ///
    /// - Parameter replay: receives the unfinished updates in ascending update_id order; it must have queued
    ///   them for handling when it returns (new updates are accepted only afterwards).
    /// - Throws: a permanent ``StoreError`` (corrupt file, not a journal, too new). Transient failures do not
    ///   throw: the intake starts faulted and recovers by itself.
    public func start(replay: @escaping @Sendable ([RawUpdate]) async -> Void) async throws(StoreError) {
        replayHandler.withLock { $0 = replay }
        do {
            try await openAndReplay()
        } catch let error where !error.isPermanent {
            setFault("\(error)")
        }
        let monitor = Task { [self] in await monitorLoop() }
        let stale = state.withLock { state -> Task<Void, Never>? in
            defer { state.monitor = monitor }
            return state.monitor
        }
        stale?.cancel()
    }

    /// Journals `update` durably (one group commit shared with concurrent requests) before it is acknowledged.
    public func append(_ update: RawUpdate) async -> AppendOutcome {
        let (journal, fault) = state.withLock { ($0.journal, $0.fault) }
        guard let journal, fault == nil else {
            return .unavailable(reason: "journal unavailable: \(fault ?? "not open")")
        }
        do {
            switch try await journal.append(update) {
            case .appended: return .appended
            case .duplicate: return .duplicate
            }
        } catch {
            setFault("\(error)")
            return .unavailable(reason: "journal commit failed: \(error)")
        }
    }

    /// Records that `updateID` has been handled, without waiting for the commit. A mark that cannot be written
    /// is kept and written again once the journal recovers (until then a restart would replay the update).
    public func complete(_ updateID: Int64) {
        guard let journal = state.withLock({ $0.journal }) else {
            state.withLock { $0.unwrittenCompletions.append(updateID) }
            return
        }
        journal.complete(updateID: updateID) { [self] error in
            guard let error else { return }
            state.withLock { $0.unwrittenCompletions.append(updateID) }
            setFault("\(error)")
        }
    }

    /// Adds work to run at every housekeeping tick after the journal's own (for example pruning a state
    /// store's effect log with the same window).
    public func addHousekeeping(_ work: @escaping @Sendable () async -> Void) {
        extraHousekeeping.withLock { $0.append(work) }
    }

    /// Stops the monitor and closes the journal after the queued writes (completion marks included) committed.
    public func close() async {
        let (journal, monitor) = state.withLock { state in
            state.isClosed = true
            defer {
                state.journal = nil
                state.monitor = nil
            }
            return (state.journal, state.monitor)
        }
        monitor?.cancel()
        await journal?.close()
    }

    // MARK: - Faults and recovery

    private func setFault(_ reason: String) {
        let isNew = state.withLock { state -> Bool in
            defer { state.fault = reason }
            return state.fault == nil && !state.isClosed
        }
        guard isNew else { return }
        metrics?.recordJournalFault()
        logger.error(
            "Journal cannot commit: refusing updates with 503 until it recovers",
            metadata: ["error": "\(reason)", "data_dir": "\(configuration.directory)"])
    }

    private func openAndReplay() async throws(StoreError) {
        let metrics = self.metrics
        let journal = try await UpdateJournal.open(
            directory: configuration.directory, busyTimeout: configuration.busyTimeout,
            commitObserver: { duration, writes in metrics?.recordJournalCommit(duration: duration, writes: writes) })
        let pending: [RawUpdate]
        do {
            pending = try await journal.pending()
        } catch {
            await journal.close()
            throw error
        }
        // Stored before the replay so that completion marks of replayed updates reach it; appends stay refused
        // meanwhile (at start the server is not listening yet; in recovery the fault is still set).
        let unwritten = state.withLock { state -> [Int64] in
            state.journal = journal
            defer { state.unwrittenCompletions = [] }
            return state.unwrittenCompletions
        }
        for id in unwritten { complete(id) }
        if !pending.isEmpty {
            logger.notice(
                "Replaying updates a previous run accepted but did not finish",
                metadata: [
                    "count": "\(pending.count)",
                    "update.ids": "\(pending.prefix(20).map { String($0.updateID) }.joined(separator: ","))",
                ])
            metrics?.recordReplayed(pending.count)
            await replayHandler.withLock { $0 }?(pending)
        }
        logger.info(
            "Durable intake: updates are journaled before 200",
            metadata: ["journal": "\(journal.path)", "replayed": "\(pending.count)"])
    }

    /// Retries a faulted journal every probe interval and does housekeeping every housekeeping interval.
    private func monitorLoop() async {
        var sinceHousekeeping = Duration.zero
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.probeInterval)
            if Task.isCancelled { return }
            let (journal, fault) = state.withLock { ($0.journal, $0.fault) }
            if fault != nil {
                await recover(journal)
                continue
            }
            if let journal, !journal.isFileInPlace {
                // Deleted or replaced under us: commits would land in an unlinked file and vanish at the next
                // start. Refuse updates and open a new journal at the path (the recovery below).
                setFault("the journal file \(journal.path) was deleted or replaced")
                state.withLock { $0.journal = nil }
                await journal.close()
                continue
            }
            sinceHousekeeping += configuration.probeInterval
            if let journal, sinceHousekeeping >= configuration.housekeepingInterval {
                sinceHousekeeping = .zero
                await housekeeping(journal)
            } else if let journal {
                // Keeps the WAL short (the writer does not checkpoint): cheap when there is nothing to copy.
                _ = try? await journal.checkpoint()
            }
        }
    }

    private func recover(_ journal: UpdateJournal?) async {
        do {
            if let journal {
                try await journal.probe()
            } else {
                try await openAndReplay()
            }
        } catch {
            if let error = error as? StoreError, error.isPermanent {
                logger.critical(
                    "Journal file refused; an operator must move it aside (see --recover-corrupt-data)",
                    metadata: ["error": "\(error)"])
            }
            state.withLock { $0.fault = "\(error)" }
            return
        }
        let completions = state.withLock { state -> [Int64] in
            state.fault = nil
            defer { state.unwrittenCompletions = [] }
            return state.unwrittenCompletions
        }
        logger.notice("Journal commits again: accepting updates", metadata: ["data_dir": "\(configuration.directory)"])
        for id in completions { complete(id) }
    }

    private func housekeeping(_ journal: UpdateJournal) async {
        do {
            let pruned = try await journal.prune(keepingCompletedFor: configuration.deduplicationWindow)
            let (frames, done) = try await journal.checkpoint()
            logger.debug(
                "Journal housekeeping",
                metadata: ["pruned": "\(pruned)", "wal.frames": "\(frames)", "wal.done": "\(done)"])
        } catch {
            // Housekeeping failing is not an intake fault by itself; the next commit tells.
            logger.warning("Journal housekeeping failed", metadata: ["error": "\(error)"])
        }
        for work in extraHousekeeping.withLock({ $0 }) { await work() }
    }
}
