import Synchronization
import Testing

@testable import TGBot

private final class Woken: Sendable {
    let ids = Mutex<[Int]>([])
}

@Suite(.timeLimit(.minutes(1)))
struct AdmissionQueueTests {
    @Test func aWaiterNobodySignalsTimesOut() async {
        let queue = AdmissionQueue()
        #expect(await queue.wait(timeout: .milliseconds(30), isStillFull: { true }) == false)
        #expect(queue.count == 0)
    }

    @Test func aSlotFreedBeforeRegistrationIsNotMissed() async {
        let queue = AdmissionQueue()
        #expect(await queue.wait(timeout: .seconds(30), isStillFull: { false }) == true)
        #expect(queue.count == 0)
    }

    @Test func signalWakesTheOldestWaiterFirst() async throws {
        let queue = AdmissionQueue()
        let woken = Woken()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                // Registered one at a time, so arrival order is known.
                group.addTask {
                    if await queue.wait(timeout: .seconds(30), isStillFull: { true }) {
                        woken.ids.withLock { $0.append(index) }
                    }
                }
                for _ in 0..<500 where queue.count < index + 1 { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(queue.count == 3)
            queue.signal()
            for _ in 0..<500 where woken.ids.withLock({ $0.count }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
            #expect(woken.ids.withLock { $0 } == [0])
            queue.signalAll()
            try await group.waitForAll()
        }
        #expect(woken.ids.withLock { $0.sorted() } == [0, 1, 2])
        #expect(queue.count == 0)
    }

    /// Many concurrent waiters share one sweeping timer; every one of them is refused once its deadline passes.
    @Test func manyWaitersAllTimeOut() async {
        let queue = AdmissionQueue()
        let refused = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<300 {
                group.addTask { await queue.wait(timeout: .milliseconds(20 + index % 50), isStillFull: { true }) }
            }
            return await group.reduce(0) { $0 + ($1 ? 0 : 1) }
        }
        #expect(refused == 300)
        #expect(queue.count == 0)
        // A later waiter starts a new sweeper after the last one stopped.
        #expect(await queue.wait(timeout: .milliseconds(20), isStillFull: { true }) == false)
    }
}
