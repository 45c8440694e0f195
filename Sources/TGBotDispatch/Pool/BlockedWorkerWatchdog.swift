import Dispatch
import Logging
import Synchronization

/// Reports pool jobs that hold their worker thread longer than a threshold, once per incident.
///
/// A `DispatchSourceTimer` on the watchdog's own queue (never a pool thread, which might be the one that
/// is blocked) wakes every quarter threshold and reads each worker's stamps. A job whose start stamp is
/// older than the threshold is reported with a warning (metadata `pool.worker`, `pool.blocked_seconds`),
/// the ``reportCount`` counter and the optional callback, and its serial is remembered so the same job is
/// not reported again however long it stays blocked.
final class BlockedWorkerWatchdog: @unchecked Sendable {
    // Sendable: `workers`, `threshold`, `logger`, `onBlocked` and `queue` are immutable and Sendable;
    // `reports` is an `Atomic`; `timer` is written only in `init` and then only `cancel()`ed, which
    // DispatchSource documents as safe from any thread; `isStopped` is an `Atomic` guarding that cancel.
    private let workers: [PoolWorker]
    private let threshold: Duration
    private let logger: Logger
    private let onBlocked: (@Sendable (BlockedWorkerReport) -> Void)?
    private let queue = DispatchQueue(label: "tgbotd.pool.watchdog")
    private let timer: any DispatchSourceTimer
    private let reports = Atomic<Int>(0)
    private let isStopped = Atomic<Bool>(false)

    init(
        workers: [PoolWorker], threshold: Duration, logger: Logger,
        onBlocked: (@Sendable (BlockedWorkerReport) -> Void)?
    ) {
        self.workers = workers
        self.threshold = threshold
        self.logger = logger
        self.onBlocked = onBlocked
        self.timer = DispatchSource.makeTimerSource(queue: queue)
        let thresholdNanos = Self.nanoseconds(threshold)
        let interval = min(max(thresholdNanos / 4, 5_000_000), 250_000_000)
        timer.schedule(
            deadline: .now() + .nanoseconds(Int(interval)), repeating: .nanoseconds(Int(interval)),
            leeway: .nanoseconds(Int(interval / 4)))
        timer.setEventHandler { [weak self] in self?.check() }
        timer.resume()
    }

    /// Incidents reported so far.
    var reportCount: Int { reports.load(ordering: .relaxed) }

    /// Stops the timer. Idempotent.
    func stop() {
        guard !isStopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        timer.cancel()
    }

    /// One tick: report every worker whose current job started more than `threshold` ago.
    private func check() {
        let now = DispatchTime.now().uptimeNanoseconds
        let limit = Self.nanoseconds(threshold)
        for worker in workers {
            let serial = worker.jobSerial.load(ordering: .sequentiallyConsistent)
            let startedAt = worker.jobStartedAt.load(ordering: .sequentiallyConsistent)
            // A different serial after reading the stamp means the job changed under us; skip this tick.
            guard startedAt != 0, worker.jobSerial.load(ordering: .sequentiallyConsistent) == serial,
                now > startedAt, now - startedAt > limit,
                worker.reportedSerial.load(ordering: .relaxed) != serial
            else { continue }
            worker.reportedSerial.store(serial, ordering: .relaxed)
            report(BlockedWorkerReport(worker: worker.index, duration: .nanoseconds(Int64(now - startedAt))))
        }
    }

    private func report(_ report: BlockedWorkerReport) {
        reports.add(1, ordering: .relaxed)
        let seconds = Double(Self.nanoseconds(report.duration)) / 1e9
        logger.warning(
            "worker thread blocked",
            metadata: [
                "pool.worker": "\(report.worker)",
                "pool.blocked_seconds": "\(seconds)",
            ])
        onBlocked?(report)
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
