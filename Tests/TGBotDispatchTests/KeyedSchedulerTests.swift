import Synchronization
import TGBotDispatch
import Testing

@Suite(.timeLimit(.minutes(1)))
struct KeyedSchedulerTests {
    @Test func runsEachChatInUpdateIDOrderWhileChatsOverlap() async throws {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let scheduler = KeyedScheduler(pool: pool)
        let updateCount = 5_000
        let chatCount: Int64 = 300
        let submitters: Int64 = 4
        let chatOf: @Sendable (Int64) -> Int64 = { id in (id &* 7_919) % chatCount }
        let recorder = SchedulerRecorder()
        let done = PoolTestLatch(count: updateCount)

        // Several submitters at once; each owns a subset of the chats and submits them in update_id order.
        await withTaskGroup(of: Void.self) { group in
            for submitter in 0..<submitters {
                group.addTask {
                    for id in Int64(1)...Int64(updateCount) where chatOf(id) % submitters == submitter {
                        let chat = chatOf(id)
                        scheduler.submit(key: .chat(chat), sequence: id) {
                            recorder.enter(chat: chat, id: id)
                            await Task.yield()
                            recorder.leave(chat: chat)
                            done.countDown()
                        }
                    }
                }
            }
        }
        #expect(await done.wait(timeout: .seconds(40)), "only \(updateCount - done.remaining) updates ran")

        let snapshot = recorder.snapshot
        #expect(snapshot.overlapsWithinChat == 0)
        #expect(snapshot.maxConcurrent > 1, "chats never overlapped in time")
        var expected: [Int64: [Int64]] = [:]
        for id in Int64(1)...Int64(updateCount) {
            expected[chatOf(id), default: []].append(id)
        }
        #expect(snapshot.perChat.count == Int(chatCount))
        for (chat, ids) in expected {
            #expect(snapshot.perChat[chat] == ids, "chat \(chat) saw its updates out of order or incomplete")
        }
    }

    @Test func pendingJobsRunSmallestSequenceFirst() async throws {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let scheduler = KeyedScheduler(pool: pool)
        let gate = PoolTestLatch(count: 1)
        let started = PoolTestLatch(count: 1)
        let order = Mutex<[Int64]>([])
        let done = PoolTestLatch(count: 6)
        let job: @Sendable (Int64) -> KeyedScheduler.Job = { id in
            {
                order.withLock { $0.append(id) }
                if id == 10 {
                    started.countDown()
                    _ = await gate.wait(timeout: .seconds(20))
                }
                done.countDown()
            }
        }
        scheduler.submit(key: .chat(1), sequence: 10, job(10))
        #expect(await started.wait(timeout: .seconds(20)))
        for id: Int64 in [15, 12, 14, 11, 13] {
            scheduler.submit(key: .chat(1), sequence: id, job(id))
        }
        #expect(scheduler.stats.activeLanes == 1)
        #expect(scheduler.stats.pendingJobs == 5)

        gate.countDown()
        #expect(await done.wait(timeout: .seconds(20)))
        #expect(order.withLock { $0 } == [10, 11, 12, 13, 14, 15])
    }

    @Test func slowChatDoesNotDelayOtherChats() async throws {
        // One worker: the slow chat's handler is suspended (awaiting), not holding the thread.
        let pool = WorkerPool(configuration: .init(workerCount: 1))
        defer { pool.shutdown() }
        let scheduler = KeyedScheduler(pool: pool)
        let slowGate = PoolTestLatch(count: 1)
        let slowDone = PoolTestLatch(count: 2)
        let secondSlowRan = Atomic<Bool>(false)
        scheduler.submit(key: .chat(-1), sequence: 1) {
            _ = await slowGate.wait(timeout: .seconds(30))
            slowDone.countDown()
        }
        scheduler.submit(key: .chat(-1), sequence: 2) {
            secondSlowRan.store(true, ordering: .relaxed)
            slowDone.countDown()
        }

        let others = PoolTestLatch(count: 50 * 4)
        for chat in Int64(1)...50 {
            for step in Int64(0)..<4 {
                scheduler.submit(key: .chat(chat), sequence: 100 + chat * 4 + step) { others.countDown() }
            }
        }
        #expect(await others.wait(timeout: .seconds(20)), "other chats waited behind the slow one")
        let overtook = secondSlowRan.load(ordering: .relaxed)
        #expect(!overtook, "the slow chat's next update overtook its first")

        slowGate.countDown()
        #expect(await slowDone.wait(timeout: .seconds(20)))
        let ranAfterGate = secondSlowRan.load(ordering: .relaxed)
        #expect(ranAfterGate)
    }

    @Test(arguments: [
        [OrderingKey.unordered, .unordered, .unordered],
        [OrderingKey.chat(1), .chat(2), .user(1)],
    ])
    func differentOrUnorderedKeysRunConcurrently(_ keys: [OrderingKey]) async {
        // Each job waits until all have started: this completes only if they are in progress at once.
        let pool = WorkerPool(configuration: .init(workerCount: 1))
        defer { pool.shutdown() }
        let scheduler = KeyedScheduler(pool: pool)
        let allStarted = PoolTestLatch(count: keys.count)
        let done = PoolTestLatch(count: keys.count)
        let sawAll = Atomic<Int>(0)
        for (index, key) in keys.enumerated() {
            scheduler.submit(key: key, sequence: Int64(index)) {
                allStarted.countDown()
                if await allStarted.wait(timeout: .seconds(20)) { sawAll.add(1, ordering: .relaxed) }
                done.countDown()
            }
        }
        #expect(await done.wait(timeout: .seconds(30)))
        #expect(sawAll.load(ordering: .relaxed) == keys.count)
    }

    @Test func sameKeyNeverRunsTwoJobsAtOnce() async {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let scheduler = KeyedScheduler(pool: pool)
        let recorder = SchedulerRecorder()
        let done = PoolTestLatch(count: 500)
        for id in Int64(1)...500 {
            scheduler.submit(key: .global, sequence: id) {
                recorder.enter(chat: 0, id: id)
                await Task.yield()
                recorder.leave(chat: 0)
                done.countDown()
            }
        }
        #expect(await done.wait(timeout: .seconds(30)))
        let snapshot = recorder.snapshot
        #expect(snapshot.overlapsWithinChat == 0)
        #expect(snapshot.maxConcurrent == 1)
        #expect(snapshot.perChat[0] == Array(Int64(1)...500))
    }

    @Test func emptyLanesAreRemoved() async {
        let pool = WorkerPool(configuration: .init(workerCount: 2))
        defer { pool.shutdown() }
        let scheduler = KeyedScheduler(pool: pool)
        let done = PoolTestLatch(count: 100)
        for chat in Int64(1)...100 {
            scheduler.submit(key: .chat(chat), sequence: chat) { done.countDown() }
        }
        #expect(await done.wait(timeout: .seconds(20)))
        // A lane is removed right after its last job returns; observe that (bounded in count and time).
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<100_000 where scheduler.stats.activeLanes > 0 && clock.now - start < .seconds(20) {
            await Task.yield()
        }
        let stats = scheduler.stats
        #expect(stats.activeLanes == 0)
        #expect(stats.pendingJobs == 0)
        #expect(stats.runningUnordered == 0)
    }
}

/// Records, per chat, the ids in the order jobs started, jobs of one chat found running at once, and the
/// largest number of jobs in progress (started and not finished) at one time across chats.
private final class SchedulerRecorder: Sendable {
    struct Snapshot {
        var perChat: [Int64: [Int64]] = [:]
        var running: Set<Int64> = []
        var current = 0
        var maxConcurrent = 0
        var overlapsWithinChat = 0
    }

    private let state = Mutex(Snapshot())

    func enter(chat: Int64, id: Int64) {
        state.withLock { state in
            state.perChat[chat, default: []].append(id)
            if !state.running.insert(chat).inserted { state.overlapsWithinChat += 1 }
            state.current += 1
            state.maxConcurrent = max(state.maxConcurrent, state.current)
        }
    }

    func leave(chat: Int64) {
        state.withLock { state in
            state.running.remove(chat)
            state.current -= 1
        }
    }

    var snapshot: Snapshot { state.withLock { $0 } }
}
