import Synchronization

/// Runs jobs on a ``WorkerPool`` so that jobs with the same ``OrderingKey`` run strictly one at a time,
/// smallest sequence (`update_id`) first, while jobs with different keys run concurrently.
///
/// Each key with work has a *lane*: a min-heap of pending jobs and one pool task that takes the smallest
/// job, awaits it, and takes the next, until the heap is empty; then the lane is removed, so memory is
/// bounded by pending work, not by the number of chats ever seen. A job that arrives slightly out of
/// order (a lower `update_id` submitted after a higher one, before the higher one started) still runs in
/// `update_id` order; a job whose sequence is below one already started runs next, not never.
///
/// A job that suspends (awaits the Bot API) holds its lane but no thread, so one slow chat delays only
/// itself. ``OrderingKey/unordered`` jobs bypass lanes and start at once.
///
/// The scheduler does not bound its queues: admission (``InFlightLimiter``) bounds the number of updates
/// in flight before they reach it.
///
/// ```swift
/// let scheduler = KeyedScheduler(pool: pool)
/// scheduler.submit(key: policy.key(for: update), sequence: update.updateID) { await dispatcher.handle(update) }
/// ```
///
/// Thread safety: all methods may be called from any thread; state is a small map under a `Mutex`.
public final class KeyedScheduler: Sendable {
    /// A unit of work: the processing of one update. Failures are handled inside (the scheduler only
    /// sequences), so a failing job never stalls its lane.
    public typealias Job = @Sendable () async -> Void

    private struct State {
        /// Lanes with a running lane task; a lane exists exactly while its task runs.
        var lanes: [OrderingKey: SequenceHeap<Job>] = [:]
        var pendingJobs = 0
        var runningUnordered = 0
    }

    private let pool: WorkerPool
    private let state = Mutex(State())

    /// Creates a scheduler whose jobs run on `pool`.
    public init(pool: WorkerPool) {
        self.pool = pool
    }

    /// Schedules `job` in the lane of `key`, ordered by `sequence`, and returns at once.
    ///
    /// - Parameters:
    ///   - key: The lane; ``OrderingKey/unordered`` starts the job at once, outside any lane.
    ///   - sequence: The order within the lane, normally the `update_id`.
    ///   - job: The work; it runs on the pool.
    public func submit(key: OrderingKey, sequence: Int64, _ job: @escaping Job) {
        guard key.isOrdered else {
            state.withLock { $0.runningUnordered += 1 }
            pool.execute {
                await job()
                self.state.withLock { $0.runningUnordered -= 1 }
            }
            return
        }
        let startsLane = state.withLock { state in
            state.pendingJobs += 1
            if state.lanes[key]?.insert(job, sequence: sequence) != nil {
                return false
            }
            var heap = SequenceHeap<Job>()
            heap.insert(job, sequence: sequence)
            state.lanes[key] = heap
            return true
        }
        if startsLane {
            pool.execute { await self.runLane(key) }
        }
    }

    /// A consistent snapshot of the scheduler's load.
    public var stats: KeyedSchedulerStats {
        state.withLock {
            KeyedSchedulerStats(
                activeLanes: $0.lanes.count, pendingJobs: $0.pendingJobs, runningUnordered: $0.runningUnordered)
        }
    }

    /// The lane task: run the lane's jobs, smallest sequence first, until the heap is empty.
    private func runLane(_ key: OrderingKey) async {
        var isFirst = true
        while let job = nextJob(in: key) {
            if !isFirst && pool.hasQueuedJobs {
                // Let other lanes' queued jobs run between two jobs of a busy lane (fairness). Without waiting
                // work the yield would only cost a trip through the pool's queue.
                await Task.yield()
            }
            isFirst = false
            await job()
        }
    }

    /// Pops the lane's next job, or removes the lane when it has none (under one lock, so a concurrent
    /// `submit` either lands in the heap before the pop or finds no lane and starts a new one).
    private func nextJob(in key: OrderingKey) -> Job? {
        state.withLock { state in
            guard let next = state.lanes[key]?.popMin() else {
                state.lanes[key] = nil
                return nil
            }
            state.pendingJobs -= 1
            return next.value
        }
    }
}

/// A snapshot of a ``KeyedScheduler``'s load.
public struct KeyedSchedulerStats: Sendable, Hashable {
    /// Keys with a job running or pending.
    public var activeLanes: Int
    /// Ordered jobs submitted and not yet started.
    public var pendingJobs: Int
    /// Unordered jobs started and not yet finished.
    public var runningUnordered: Int
}
