import FoundationEssentials

/// How a ``WorkerPool`` is sized and watched.
///
/// Every field has a default, so `WorkerPoolConfiguration()` is a pool with one worker per core that reports
/// a job holding its thread for more than a second.
public struct WorkerPoolConfiguration: Sendable, Hashable {
    /// The number of worker threads (`--workers N`). Values below 1 are raised to 1.
    public var workerCount: Int
    /// How long one job may run without yielding its thread before the watchdog reports it.
    ///
    /// A job is the stretch of a handler between two suspension points; a handler that awaits the Bot API
    /// holds no thread while it waits, so only synchronous work (a CPU loop, `sleep`, blocking I/O) counts.
    public var blockedThreshold: Duration
    /// The prefix of the worker queues' labels (`<prefix>.<index>`), visible in debuggers and crash logs.
    public var label: String

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - workerCount: Worker threads; defaults to the number of active cores.
    ///   - blockedThreshold: Watchdog threshold; defaults to one second.
    ///   - label: Queue label prefix; defaults to `tgbotd.pool`.
    public init(
        workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
        blockedThreshold: Duration = .seconds(1),
        label: String = "tgbotd.pool"
    ) {
        self.workerCount = max(1, workerCount)
        self.blockedThreshold = blockedThreshold
        self.label = label
    }
}
