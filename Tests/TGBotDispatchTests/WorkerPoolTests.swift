import Dispatch
import Foundation
import InMemoryLogging
import Logging
import Synchronization
import TGBotDispatch
import Testing

@Suite(.timeLimit(.minutes(1)))
struct WorkerPoolTests {
    @Test func runsHandlerCodeOnPoolThreadsAcrossAwaits() async throws {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        #expect(pool.currentWorkerIndex == nil)

        let seen = await pool.spawn { () -> [Int?] in
            let atStart = pool.currentWorkerIndex
            // Resume from a thread that is not the pool's: the task must come back to the pool.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume() }
            }
            let afterForeignResume = pool.currentWorkerIndex
            let inNonisolated = await poolTestWorkerIndexNonisolated(pool)
            let inConcurrent = await poolTestWorkerIndexConcurrent(pool)
            return [atStart, afterForeignResume, inNonisolated, inConcurrent]
        }.value

        #expect(seen.count == 4)
        for index in seen {
            let index = try #require(index)
            #expect((0..<2).contains(index))
        }
    }

    @Test func wakeUpsFromABatchingThreadWaitForTheEndOfItsBatch() async throws {
        final class Probe: Sendable {
            let ran = Atomic<Int>(0)
            let ranBeforeBatchEnd = Atomic<Int>(-1)
            let done = DispatchSemaphore(value: 0)
        }
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let probe = Probe()
        // A plain thread that batches, as an I/O loop does: its submissions wake no worker until its batch ends.
        let thread = Thread {
            WorkerPool.endBatchOnCurrentThread()
            for _ in 0..<3 { pool.execute { probe.ran.add(1, ordering: .relaxed) } }
            Thread.sleep(forTimeInterval: 0.1)
            probe.ranBeforeBatchEnd.store(probe.ran.load(ordering: .relaxed), ordering: .relaxed)
            WorkerPool.endBatchOnCurrentThread()
            probe.done.signal()
        }
        thread.start()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                probe.done.wait()
                continuation.resume()
            }
        }
        let ranBeforeBatchEnd = probe.ranBeforeBatchEnd.load(ordering: .relaxed)
        #expect(ranBeforeBatchEnd == 0)
        #expect(await poolTestEventually { probe.ran.load(ordering: .relaxed) == 3 })
        // A thread that never ended a batch wakes workers at once.
        let direct = await pool.spawn { 7 }.value
        #expect(direct == 7)
    }

    @Test func otherPoolsThreadsAreNotThisPools() async {
        let first = WorkerPool(configuration: .init(workerCount: 1))
        let second = WorkerPool(configuration: .init(workerCount: 1))
        defer {
            first.shutdown()
            second.shutdown()
        }
        let indices = await second.spawn { (first.currentWorkerIndex, second.currentWorkerIndex) }.value
        #expect(indices.0 == nil)
        #expect(indices.1 == 0)
    }

    @Test func blockedWorkerDoesNotStrandQueuedJobs() async throws {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let othersDone = Atomic<Bool>(false)
        let blockerStarted = PoolTestLatch(count: 1)

        // A badly behaved handler: holds its thread until the others are done (at most 20 s).
        let blocker = pool.spawn { () -> Bool in
            blockerStarted.countDown()
            return poolTestBlockThread(atLeast: .zero, atMost: .seconds(20)) { othersDone.load(ordering: .relaxed) }
        }
        #expect(await blockerStarted.wait(timeout: .seconds(20)))

        let others = PoolTestLatch(count: 200)
        for _ in 0..<200 {
            pool.execute { others.countDown() }
        }
        let completed = await others.wait(timeout: .seconds(20))
        othersDone.store(true, ordering: .relaxed)
        #expect(completed, "jobs queued behind a blocked worker were not run by the other worker")
        #expect(await blocker.value, "the blocker gave up before the other jobs completed")
    }

    @Test func reportsBlockedJobOncePerIncident() async throws {
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "tgbotd.dispatch") { _ in logs }
        let reports = Mutex<[BlockedWorkerReport]>([])
        let threshold = Duration.milliseconds(150)
        let pool = WorkerPool(
            configuration: .init(workerCount: 2, blockedThreshold: threshold), logger: logger,
            onBlocked: { report in reports.withLock { $0.append(report) } })
        defer { pool.shutdown() }
        let othersDone = Atomic<Bool>(false)
        let blockerStarted = PoolTestLatch(count: 1)

        // Sleeps its thread for at least 3× the threshold, and until it was reported and another
        // 2× the threshold passed (so a second report for the same incident would have had time to happen).
        let blocker = pool.spawn { () -> (worker: Int?, reports: [BlockedWorkerReport], counter: Int) in
            blockerStarted.countDown()
            let reported = poolTestBlockThread(atLeast: threshold * 3, atMost: .seconds(20)) {
                othersDone.load(ordering: .relaxed) && !reports.withLock { $0.isEmpty }
            }
            if reported {
                _ = poolTestBlockThread(atLeast: threshold * 2, atMost: threshold * 2) { false }
            }
            return (pool.currentWorkerIndex, reports.withLock { $0 }, pool.blockedReports)
        }
        #expect(await blockerStarted.wait(timeout: .seconds(20)))
        let others = PoolTestLatch(count: 50)
        for _ in 0..<50 {
            pool.execute { others.countDown() }
        }
        #expect(await others.wait(timeout: .seconds(20)), "other jobs did not progress while a worker was blocked")
        othersDone.store(true, ordering: .relaxed)

        let outcome = await blocker.value
        let worker = try #require(outcome.worker)
        #expect(outcome.reports.count == 1)
        #expect(outcome.counter == 1)
        let report = try #require(outcome.reports.first)
        #expect(report.worker == worker)
        #expect(report.duration > threshold)

        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["pool.worker"] == "\(worker)")
        #expect(warnings.first?.metadata["pool.blocked_seconds"] != nil)
    }

    @Test func statsCountBusyWorkersAndQueuedJobs() async throws {
        let pool = WorkerPool(configuration: .init(workerCount: 1, blockedThreshold: .seconds(120)))
        defer { pool.shutdown() }
        let release = Atomic<Bool>(false)
        let blockerStarted = PoolTestLatch(count: 1)
        let blocker = pool.spawn {
            blockerStarted.countDown()
            return poolTestBlockThread(atLeast: .zero, atMost: .seconds(20)) { release.load(ordering: .relaxed) }
        }
        #expect(await blockerStarted.wait(timeout: .seconds(20)))

        let queued = (0..<5).map { value in pool.spawn { value } }
        let stats = pool.stats
        #expect(stats.threadCount == 1)
        #expect(stats.busyWorkers == 1)
        #expect(stats.queuedJobs == 5)
        #expect(stats.blockedReports == 0)

        release.store(true, ordering: .relaxed)
        #expect(await blocker.value)
        var sum = 0
        for task in queued {
            sum += await task.value
        }
        #expect(sum == 0 + 1 + 2 + 3 + 4)
        #expect(pool.stats.jobsRun >= 6)
    }

    @Test func configurationRaisesWorkerCountToOne() {
        #expect(WorkerPoolConfiguration(workerCount: 0).workerCount == 1)
        #expect(WorkerPoolConfiguration().workerCount >= 1)
        #expect(WorkerPoolConfiguration().blockedThreshold == .seconds(1))
    }
}

/// The pool worker index seen by a nonisolated (caller-isolated) async function.
private nonisolated func poolTestWorkerIndexNonisolated(_ pool: WorkerPool) async -> Int? {
    await Task.yield()
    return pool.currentWorkerIndex
}

/// The pool worker index seen by a `@concurrent` async function (runs on the task's executor preference).
@concurrent private func poolTestWorkerIndexConcurrent(_ pool: WorkerPool) async -> Int? {
    await Task.yield()
    return pool.currentWorkerIndex
}

// MARK: - Helpers shared by the pool, spawn, scheduler and limiter tests

/// Holds the current (pool) thread like a badly behaved handler would: polls `done` every millisecond
/// for at least `atLeast` and at most `atMost`. Bounded in time and in iterations.
///
/// - Returns: Whether `done` became true before `atMost` passed.
func poolTestBlockThread(atLeast: Duration, atMost: Duration, until done: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let start = clock.now
    let maxIterations = 1_000_000
    for _ in 0..<maxIterations {
        let elapsed = clock.now - start
        if elapsed >= atLeast, done() { return true }
        if elapsed >= atMost { return false }
        usleep(1_000)
    }
    return false
}

/// A countdown latch: ``wait(timeout:)`` returns true once ``countDown()`` was called `count` times.
/// Waiting suspends (no thread held) and ends at the timeout, so a failing test fails instead of hanging.
final class PoolTestLatch: Sendable {
    private struct State {
        var remaining: Int
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(remaining: count))
    }

    var remaining: Int { state.withLock { $0.remaining } }

    func countDown() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.remaining -= 1
            guard state.remaining == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// - Returns: true if the count reached zero before `timeout`.
    func wait(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.reachedZero() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return remaining <= 0
    }

    private func reachedZero() async {
        let id = state.withLock { state -> Int in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.remaining <= 0 || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

/// Polls `condition` every 10 ms for at most 5 s.
private func poolTestEventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<500 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
