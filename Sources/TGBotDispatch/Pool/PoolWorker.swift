import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One worker of a ``WorkerPool``: a serial `DispatchQueue` that drains the pool's shared job queue, and
/// the stamps the blocked-thread watchdog reads.
///
/// Stamps are atomics because the worker writes them on its thread and the watchdog reads them on its own
/// queue; no lock is taken on the job path for them.
final class PoolWorker: Sendable {
    /// The worker's index in the pool, `0..<threadCount`.
    let index: Int
    /// The identity of the owning pool, for ``WorkerPool/currentWorkerIndex``.
    let poolID: ObjectIdentifier
    /// The serial queue whose thread runs this worker's drain loop.
    let queue: DispatchQueue
    /// Incremented before each job; identifies one incident for the watchdog.
    let jobSerial = Atomic<UInt64>(0)
    /// `DispatchTime.uptimeNanoseconds` when the current job started, 0 while no job runs.
    let jobStartedAt = Atomic<UInt64>(0)
    /// The last `jobSerial` the watchdog reported; written only by the watchdog.
    let reportedSerial = Atomic<UInt64>(0)

    init(index: Int, poolID: ObjectIdentifier, label: String) {
        self.index = index
        self.poolID = poolID
        self.queue = DispatchQueue(label: "\(label).\(index)")
    }

    /// Marks the start of a job on this worker's thread.
    func stampStart() {
        jobSerial.add(1, ordering: .sequentiallyConsistent)
        jobStartedAt.store(max(1, DispatchTime.now().uptimeNanoseconds), ordering: .sequentiallyConsistent)
    }

    /// Marks the end of the current job.
    func stampEnd() {
        jobStartedAt.store(0, ordering: .sequentiallyConsistent)
    }

    /// Runs `body` with this worker recorded as the current thread's worker.
    func withThreadMarker<R>(_ body: () -> R) -> R {
        let previous = pthread_getspecific(poolWorkerKey)
        pthread_setspecific(poolWorkerKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(poolWorkerKey, previous) }
        return body()
    }

    /// The worker whose drain loop is running on the current thread, if any.
    ///
    /// The marker is set only inside ``withThreadMarker(_:)``, during which the pool (and so the worker)
    /// is retained by the queued drain block; the unretained pointer is therefore valid while it is set.
    static var current: PoolWorker? {
        guard let pointer = pthread_getspecific(poolWorkerKey) else { return nil }
        return Unmanaged<PoolWorker>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// The thread-specific key under which a worker thread records its ``PoolWorker``. Created once, never
/// deleted (one key per process).
private let poolWorkerKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key, nil)
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()
