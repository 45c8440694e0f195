import Synchronization
import TGBotDispatch
import Testing

@Suite(.timeLimit(.minutes(1)))
struct InFlightLimiterTests {
    @Test func refusesAtTheBoundAndRecoversAfterRelease() {
        let limiter = InFlightLimiter(capacity: 3)
        #expect(limiter.capacity == 3)
        #expect(limiter.tryAcquire(id: 1))
        #expect(limiter.tryAcquire(id: 2))
        #expect(!limiter.isSaturated)
        #expect(limiter.tryAcquire(id: 3))
        #expect(limiter.isSaturated)
        #expect(!limiter.tryAcquire(id: 4))
        #expect(limiter.count == 3)

        limiter.release(id: 2)
        #expect(!limiter.isSaturated)
        #expect(limiter.tryAcquire(id: 4))
        #expect(limiter.inFlightIDs == [1, 3, 4])
        #expect(!limiter.tryAcquire(id: 5))

        for id: Int64 in [1, 3, 4] {
            limiter.release(id: id)
        }
        #expect(limiter.count == 0)
        #expect(limiter.inFlightIDs.isEmpty)
    }

    @Test func defaultCapacityIs1024() {
        #expect(InFlightLimiter().capacity == 1024)
        #expect(InFlightLimiter(capacity: 0).capacity == 1)
    }

    @Test func releasingAnUnknownIDChangesNothing() {
        let limiter = InFlightLimiter(capacity: 2)
        #expect(limiter.tryAcquire(id: 1))
        limiter.release(id: 99)
        #expect(limiter.count == 1)
        #expect(limiter.inFlightIDs == [1])
    }

    @Test func aRedeliveredIDHoldsTwoSlotsUntilBothRelease() {
        let limiter = InFlightLimiter(capacity: 2)
        #expect(limiter.tryAcquire(id: 7))
        #expect(limiter.tryAcquire(id: 7))
        #expect(limiter.isSaturated)
        limiter.release(id: 7)
        #expect(limiter.count == 1)
        #expect(limiter.inFlightIDs == [7])
        limiter.release(id: 7)
        #expect(limiter.count == 0)
    }

    @Test func closeRefusesNewUpdatesButKeepsThoseInFlight() {
        let limiter = InFlightLimiter(capacity: 10)
        #expect(limiter.tryAcquire(id: 1))
        limiter.close()
        #expect(limiter.isSaturated)
        #expect(!limiter.tryAcquire(id: 2))
        #expect(limiter.inFlightIDs == [1])
        limiter.release(id: 1)
        #expect(limiter.count == 0)
    }

    @Test func concurrentAdmissionNeverExceedsCapacity() async {
        let limiter = InFlightLimiter(capacity: 8)
        let counters = AdmissionCounters()
        await withTaskGroup(of: Void.self) { group in
            for worker in Int64(0)..<4 {
                group.addTask {
                    for step in Int64(0)..<2_000 {
                        let id = worker * 10_000 + step
                        guard limiter.tryAcquire(id: id) else { continue }
                        counters.admitted.add(1, ordering: .relaxed)
                        _ = counters.maxSeen.max(limiter.count, ordering: .relaxed)
                        if step.isMultiple(of: 16) { await Task.yield() }
                        limiter.release(id: id)
                    }
                }
            }
        }
        #expect(counters.maxSeen.load(ordering: .relaxed) <= 8)
        #expect(counters.admitted.load(ordering: .relaxed) > 0)
        #expect(limiter.count == 0)
    }

    @Test func waitUntilIdleReturnsUnfinishedIDsAtTheDeadline() async {
        let limiter = InFlightLimiter(capacity: 10)
        for id: Int64 in [3, 1, 2] {
            #expect(limiter.tryAcquire(id: id))
        }
        limiter.release(id: 2)
        let unfinished = await limiter.waitUntilIdle(timeout: .milliseconds(50))
        #expect(unfinished == [1, 3])
    }

    @Test func waitUntilIdleReturnsAtOnceWhenNothingIsInFlight() async {
        let limiter = InFlightLimiter(capacity: 10)
        let unfinished = await limiter.waitUntilIdle(timeout: .seconds(120))
        #expect(unfinished.isEmpty)
    }

    @Test func waitUntilIdleReturnsWhenTheLastUpdateFinishes() async {
        let limiter = InFlightLimiter(capacity: 10)
        #expect(limiter.tryAcquire(id: 1))
        #expect(limiter.tryAcquire(id: 2))
        let pool = WorkerPool(configuration: .init(workerCount: 1))
        defer { pool.shutdown() }
        // The deadline is beyond the suite's one-minute limit, so a waiter that is never woken fails the test.
        let waiter = pool.spawn { await limiter.waitUntilIdle(timeout: .seconds(120)) }
        limiter.release(id: 1)
        limiter.release(id: 2)
        #expect(await waiter.value.isEmpty)
    }

    @Test func cancellingTheWaiterEndsTheWait() async {
        let limiter = InFlightLimiter(capacity: 10)
        #expect(limiter.tryAcquire(id: 5))
        let waiter = Task { await limiter.waitUntilIdle(timeout: .seconds(120)) }
        waiter.cancel()
        #expect(await waiter.value == [5])
    }
}

/// Counters shared by the admission tasks (a class, because atomics cannot be captured by `sending` closures).
private final class AdmissionCounters: Sendable {
    let maxSeen = Atomic<Int>(0)
    let admitted = Atomic<Int>(0)
}
