import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed pool of worker threads on which bot handlers run: a `TaskExecutor` over N `DispatchQueue`s.
///
/// Handlers are `async`. A task started with this pool as its executor preference (``spawn(priority:_:)``)
/// runs each of its synchronous stretches ("jobs") on a pool thread, and so do the nonisolated async
/// functions it calls. While it awaits (the Bot API, a timer, another task) it holds no thread, so two
/// threads can keep thousands of updates in progress.
///
/// **Work sharing.** All jobs go into one FIFO that every worker drains. A worker whose thread is stuck in
/// a badly behaved handler (a synchronous sleep, a CPU loop) strands nothing: the other workers keep taking
/// jobs from the same queue. The ``BlockedWorkerReport`` watchdog reports such jobs.
///
/// **Never blocks.** ``enqueue(_:)`` appends under a short lock and, if the queue holds more jobs than
/// workers already awake, wakes one idle worker with `DispatchQueue.async`. It never waits, so jobs can
/// spawn jobs to any depth from any thread. Idle workers hold no thread and do not spin.
///
/// **Shutdown.** The pool never refuses or drops a job: a job is a piece of a task that already exists,
/// and dropping it would leave that task, and whatever awaits it, suspended forever. Stopping new work is
/// admission's job (``InFlightLimiter/close()``); ``shutdown()`` only stops the watchdog. Worker queues go
/// idle on their own once the FIFO is empty.
///
/// ```swift
/// let pool = WorkerPool(configuration: .init(workerCount: 2), logger: logger)
/// let answer = await pool.spawn { await handle(update) }.value
/// ```
///
/// Thread safety: every method may be called from any thread.
public final class WorkerPool: TaskExecutor {
    // Sendable: checked by the compiler — every stored property is an immutable `let` of a Sendable type;
    // mutable state lives in `state` (a `Mutex`), the workers' atomics, and the watchdog (see its proof).
    private struct State {
        var jobs = FIFOBuffer<UnownedJob>()
        /// Indices of workers with no drain block scheduled.
        var idle: [Int]
        /// Workers woken but not yet running a job; they will take queued jobs without another wake-up.
        var searching = 0
        var busy = 0
        var jobsRun: UInt64 = 0
    }

    /// The configuration the pool was created with.
    public let configuration: WorkerPoolConfiguration
    private let workers: [PoolWorker]
    private let state: Mutex<State>
    /// `state.jobs.count`, readable without the lock (stored under it).
    private let queuedJobs = Atomic<Int>(0)
    private let watchdog: BlockedWorkerWatchdog
    /// Tells this pool's worker threads from another pool's (workers exist before `self` does).
    private let identity: WorkerPoolIdentity

    /// Creates a pool and starts its watchdog. Workers take threads only when there is work.
    ///
    /// - Parameters:
    ///   - configuration: Size and watchdog threshold.
    ///   - logger: Receives blocked-thread warnings (label `tgbotd.dispatch` by convention).
    ///   - onBlocked: Called on the watchdog's queue once per blocked-thread incident (e.g. to count a metric).
    public init(
        configuration: WorkerPoolConfiguration = .init(),
        logger: Logger = Logger(label: "tgbotd.dispatch"),
        onBlocked: (@Sendable (BlockedWorkerReport) -> Void)? = nil
    ) {
        self.configuration = configuration
        let count = max(1, configuration.workerCount)
        let identity = WorkerPoolIdentity()
        self.identity = identity
        self.workers = (0..<count).map {
            PoolWorker(index: $0, poolID: ObjectIdentifier(identity), label: configuration.label)
        }
        self.state = Mutex(State(idle: Array((0..<count).reversed())))
        self.watchdog = BlockedWorkerWatchdog(
            workers: workers, threshold: configuration.blockedThreshold, logger: logger, onBlocked: onBlocked)
    }

    deinit {
        watchdog.stop()
    }

    /// Enqueues a job; called by the Swift runtime for tasks whose executor preference is this pool.
    ///
    /// Never blocks: appends to the shared FIFO and wakes at most one idle worker.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let wake: PoolWorker? = state.withLock { state in
            state.jobs.append(job)
            queuedJobs.store(state.jobs.count, ordering: .relaxed)
            guard state.jobs.count > state.searching, let index = state.idle.popLast() else { return nil }
            state.searching += 1
            return workers[index]
        }
        guard let worker = wake else { return }
        if let batch = DeferredWakes.current {
            batch.add(pool: self, worker: worker)
        } else {
            self.wake(worker: worker)
        }
    }

    /// Starts `worker`'s drain loop on its queue (it was taken from `idle` and counted as searching).
    fileprivate func wake(worker: PoolWorker) {
        worker.queue.async { self.drain(worker) }
    }

    /// Ends a batch of submissions on the calling thread: wakes the workers that jobs enqueued from this thread
    /// since its previous call need, and from now on defers this thread's wake-ups to its next call.
    ///
    /// For a thread that submits work in bursts and reliably comes back, as an I/O loop does at the end of every
    /// iteration (``TGBotHTTP``'s `HTTPServerConfiguration.onIterationEnd`). A worker woken in the middle of
    /// the burst only competes with the submitting thread for a core; woken at its end, it finds the whole
    /// batch queued. The wake-ups are deferred, never lost: jobs are in the queue at once, and any worker
    /// already awake takes them meanwhile. A thread that never calls this is not affected.
    public static func endBatchOnCurrentThread() {
        let batch: DeferredWakes
        if let current = DeferredWakes.current {
            batch = current
        } else {
            batch = DeferredWakes()
            DeferredWakes.current = batch
        }
        batch.wakeAll()
    }

    /// The index (`0..<threadCount`) of this pool's worker running the current thread, or nil when the
    /// caller is not on one of this pool's threads. Useful as `pool.worker` log metadata.
    public var currentWorkerIndex: Int? {
        guard let worker = PoolWorker.current, worker.poolID == ObjectIdentifier(identity) else { return nil }
        return worker.index
    }

    /// A consistent snapshot of the pool's load.
    public var stats: WorkerPoolStats {
        state.withLock { state in
            WorkerPoolStats(
                threadCount: workers.count, busyWorkers: state.busy, queuedJobs: state.jobs.count,
                jobsRun: state.jobsRun, blockedReports: watchdog.reportCount)
        }
    }

    /// Whether jobs are waiting for a worker (a racy hint, without taking the lock: for fairness decisions).
    var hasQueuedJobs: Bool { queuedJobs.load(ordering: .relaxed) > 0 }

    /// The number of blocked-thread incidents reported so far.
    public var blockedReports: Int { watchdog.reportCount }

    /// Stops the blocked-thread watchdog. Jobs already queued, and jobs of tasks already running, still run
    /// (see the type's documentation for why the pool never drops a job). Idempotent.
    public func shutdown() {
        watchdog.stop()
    }

    /// The drain loop of one worker: run queued jobs until the FIFO is empty, then go idle.
    private func drain(_ worker: PoolWorker) {
        worker.withThreadMarker {
            var finishedOne = false
            while let job = nextJob(for: worker, finishedOne: finishedOne) {
                worker.stampStart()
                job.runSynchronously(on: asUnownedTaskExecutor())
                worker.stampEnd()
                finishedOne = true
            }
        }
    }

    /// Takes the next job for `worker`, or marks the worker idle when there is none (under one lock, so a
    /// concurrent `enqueue` either sees the worker idle and wakes it, or the worker sees the job).
    private func nextJob(for worker: PoolWorker, finishedOne: Bool) -> UnownedJob? {
        state.withLock { state in
            if finishedOne {
                state.busy -= 1
            } else {
                state.searching -= 1
            }
            guard let job = state.jobs.popFirst() else {
                state.idle.append(worker.index)
                return nil
            }
            queuedJobs.store(state.jobs.count, ordering: .relaxed)
            state.busy += 1
            state.jobsRun += 1
            return job
        }
    }
}

/// A unique object whose identity tells one pool's worker threads from another's.
private final class WorkerPoolIdentity: Sendable {}

/// The wake-ups one batching thread deferred (see ``WorkerPool/endBatchOnCurrentThread()``).
///
/// Not Sendable: one instance per thread, reached only through that thread's thread-specific slot.
private final class DeferredWakes {
    private var pending: [(pool: WorkerPool, worker: PoolWorker)] = []

    func add(pool: WorkerPool, worker: PoolWorker) {
        pending.append((pool, worker))
    }

    func wakeAll() {
        guard !pending.isEmpty else { return }
        for entry in pending { entry.pool.wake(worker: entry.worker) }
        pending.removeAll(keepingCapacity: true)
    }

    /// The calling thread's instance, if it batches. Set once and kept for the thread's life (retained by the
    /// slot; an I/O thread lives as long as its server).
    static var current: DeferredWakes? {
        get {
            guard let pointer = pthread_getspecific(deferredWakesKey) else { return nil }
            return Unmanaged<DeferredWakes>.fromOpaque(pointer).takeUnretainedValue()
        }
        set {
            if let old = pthread_getspecific(deferredWakesKey) {
                Unmanaged<DeferredWakes>.fromOpaque(old).release()
            }
            pthread_setspecific(deferredWakesKey, newValue.map { Unmanaged.passRetained($0).toOpaque() })
        }
    }
}

/// The thread-specific key of ``DeferredWakes``; its destructor releases a thread's instance when the thread
/// exits. Created once per process.
private let deferredWakesKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        guard let pointer else { return }
        Unmanaged<AnyObject>.fromOpaque(pointer).release()
    }
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()
