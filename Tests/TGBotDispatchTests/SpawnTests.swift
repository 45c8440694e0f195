import Foundation
import Synchronization
import TGBotDispatch
import Testing

@Suite(.timeLimit(.minutes(1)))
struct SpawnTests {
    @Test func parentChildAndGrandchildCompleteOnPoolOfTwo() async {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let onPool = Atomic<Int>(0)
        let parent = pool.spawn { () -> [String] in
            if pool.currentWorkerIndex != nil { onPool.add(1, ordering: .relaxed) }
            let child = pool.spawn { () -> [String] in
                if pool.currentWorkerIndex != nil { onPool.add(1, ordering: .relaxed) }
                let grandchild = pool.spawn { () -> [String] in
                    if pool.currentWorkerIndex != nil { onPool.add(1, ordering: .relaxed) }
                    return ["grandchild"]
                }
                return await grandchild.value + ["child"]
            }
            return await child.value + ["parent"]
        }
        #expect(await parent.value == ["grandchild", "child", "parent"])
        #expect(onPool.load(ordering: .relaxed) == 3)
    }

    @Test func siblingsAwaitingEachOtherCompleteOnPoolOfTwo() async {
        // Each child awaits the other's signal before returning: both must be in progress at once, which a
        // pool that held a thread per awaiting task could not do with one thread already taken by the parent.
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let result = await pool.spawn { () -> Int in
            let first = PoolTestLatch(count: 1)
            let second = PoolTestLatch(count: 1)
            let a = pool.spawn { () -> Bool in
                first.countDown()
                return await second.wait(timeout: .seconds(20))
            }
            let b = pool.spawn { () -> Bool in
                second.countDown()
                return await first.wait(timeout: .seconds(20))
            }
            return (await a.value ? 1 : 0) + (await b.value ? 1 : 0)
        }.value
        #expect(result == 2)
    }

    @Test func tenThousandNestedSpawnsCompleteOnPoolOfOne() async {
        let pool = WorkerPool(configuration: .init(workerCount: 1))
        defer { pool.shutdown() }
        let onPool = Atomic<Int>(0)
        let depth = await poolTestNest(10_000, pool: pool) { onPool.add(1, ordering: .relaxed) }
        #expect(depth == 10_000)
        #expect(onPool.load(ordering: .relaxed) == 10_000)
    }

    @Test func spawnFromPlainThreadReturnsWhileTheOnlyWorkerIsBusy() async throws {
        let pool = WorkerPool(configuration: .init(workerCount: 1))
        defer { pool.shutdown() }
        let release = Atomic<Bool>(false)
        let blockerStarted = PoolTestLatch(count: 1)
        let blocker = pool.spawn {
            blockerStarted.countDown()
            return poolTestBlockThread(atLeast: .zero, atMost: .seconds(20)) { release.load(ordering: .relaxed) }
        }
        #expect(await blockerStarted.wait(timeout: .seconds(20)))

        // On a plain thread: spawn must return although the pool's only thread is taken.
        let spawned = await withCheckedContinuation { (continuation: CheckedContinuation<Task<Int, Never>, Never>) in
            let thread = Thread {
                continuation.resume(returning: pool.spawn { 42 })
            }
            thread.start()
        }
        #expect(pool.stats.queuedJobs == 1)
        release.store(true, ordering: .relaxed)
        #expect(await blocker.value)
        #expect(await spawned.value == 42)
    }

    @Test func throwingSpawnRethrowsFromValue() async {
        struct Failure: Error, Equatable {}
        let pool = WorkerPool(configuration: .init(workerCount: 1))
        defer { pool.shutdown() }
        let task = pool.spawn { () throws -> Int in throw Failure() }
        await #expect(throws: Failure.self) { try await task.value }
    }

    @Test func executeRunsFireAndForgetWorkOnPool() async {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let done = PoolTestLatch(count: 100)
        let onPool = Atomic<Int>(0)
        for _ in 0..<100 {
            pool.execute {
                if pool.currentWorkerIndex != nil { onPool.add(1, ordering: .relaxed) }
                done.countDown()
            }
        }
        #expect(await done.wait(timeout: .seconds(20)))
        #expect(onPool.load(ordering: .relaxed) == 100)
    }
}

/// Spawns a task that spawns the next level and awaits it, `levels` deep. Each level is a separate task,
/// so the depth lives in suspended tasks on the heap, not on a thread's stack.
private func poolTestNest(_ levels: Int, pool: WorkerPool, onPool: @escaping @Sendable () -> Void) async -> Int {
    guard levels > 0 else { return 0 }
    return await pool.spawn { () -> Int in
        if pool.currentWorkerIndex != nil { onPool() }
        return await poolTestNest(levels - 1, pool: pool, onPool: onPool) + 1
    }.value
}
