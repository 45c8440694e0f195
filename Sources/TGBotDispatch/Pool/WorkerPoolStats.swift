/// A snapshot of a ``WorkerPool``'s load, for metrics and readiness.
///
/// The fields are read under one lock, so they are consistent with each other at one instant; they may
/// be stale by the time the caller looks at them.
public struct WorkerPoolStats: Sendable, Hashable {
    /// The number of worker threads.
    public var threadCount: Int
    /// Workers running a job right now.
    public var busyWorkers: Int
    /// Jobs waiting in the shared queue for a free worker.
    public var queuedJobs: Int
    /// Jobs run since the pool was created.
    public var jobsRun: UInt64
    /// Jobs reported by the blocked-thread watchdog since the pool was created (one per incident).
    public var blockedReports: Int
}

/// One blocked-thread incident: a job held worker `worker` for `duration` (and possibly still does).
public struct BlockedWorkerReport: Sendable, Hashable {
    /// The index of the worker whose thread is blocked, `0..<threadCount`.
    public var worker: Int
    /// How long the job had been running when the watchdog noticed.
    public var duration: Duration
}
