import Synchronization

/// Admission control: a bound on updates in flight, tracked by `update_id`.
///
/// Intake calls ``tryAcquire(id:)`` before answering Telegram. `false` means the bound is reached (or the
/// limiter is closed for shutdown): answer `503` with `Retry-After`, so Telegram keeps the update and
/// retries, and report not-ready on `/readyz` while ``isSaturated``. `true` means the update may be
/// answered `200`; the caller must then call ``release(id:)`` exactly once when processing has finished,
/// whatever the outcome, so an update answered 200 is never dropped and never leaks a slot.
///
/// For shutdown, ``close()`` refuses new updates and ``waitUntilIdle(timeout:clock:)`` waits, without
/// holding a thread, until the in-flight set drains or a deadline passes, and returns the ids that did
/// not finish so they can be logged.
///
/// Thread safety: all methods may be called from any thread; state is under a `Mutex`.
public final class InFlightLimiter: Sendable {
    private struct State {
        /// In-flight ids with their multiplicity (a redelivered id may be in flight twice).
        var inFlight: [Int64: Int] = [:]
        var count = 0
        var isClosed = false
        var idleWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    /// The most updates in flight at once.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates a limiter.
    ///
    /// - Parameter capacity: The bound on updates in flight (default 1024); values below 1 become 1.
    public init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
    }

    /// Admits update `id` if fewer than ``capacity`` are in flight and the limiter is open.
    ///
    /// - Returns: `true` if admitted (the caller must ``release(id:)`` it later); `false` to refuse with 503.
    public func tryAcquire(id: Int64) -> Bool {
        state.withLock { state in
            guard !state.isClosed, state.count < capacity else { return false }
            state.inFlight[id, default: 0] += 1
            state.count += 1
            return true
        }
    }

    /// Admits update `id` even beyond ``capacity`` (not when closed): for updates already acknowledged that must
    /// be handled, such as those replayed from the journal at start.
    ///
    /// - Returns: `false` only when the limiter is closed.
    public func forceAcquire(id: Int64) -> Bool {
        state.withLock { state in
            guard !state.isClosed else { return false }
            state.inFlight[id, default: 0] += 1
            state.count += 1
            return true
        }
    }

    /// Ends the flight of update `id`, admitted earlier by ``tryAcquire(id:)``.
    ///
    /// Releasing an id that is not in flight is a caller bug; it is ignored rather than corrupting the count.
    public func release(id: Int64) {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard let times = state.inFlight[id] else { return [] }
            state.inFlight[id] = times > 1 ? times - 1 : nil
            state.count -= 1
            guard state.count == 0, !state.idleWaiters.isEmpty else { return [] }
            defer { state.idleWaiters.removeAll() }
            return Array(state.idleWaiters.values)
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Updates in flight now.
    public var count: Int { state.withLock { $0.count } }

    /// Whether a new update would be refused now (the bound is reached, or the limiter is closed).
    public var isSaturated: Bool { state.withLock { $0.isClosed || $0.count >= capacity } }

    /// Whether ``close()`` has been called (shutdown).
    public var isClosed: Bool { state.withLock { $0.isClosed } }

    /// The ids in flight now, ascending.
    public var inFlightIDs: [Int64] { state.withLock { $0.inFlight.keys.sorted() } }

    /// Refuses every later ``tryAcquire(id:)`` (shutdown: stop admitting, let the in-flight ones finish).
    /// Updates already admitted are unaffected. Idempotent.
    public func close() {
        state.withLock { $0.isClosed = true }
    }

    /// Waits until no update is in flight or `timeout` has passed, whichever is first.
    ///
    /// Suspends without holding a thread. Cancelling the calling task ends the wait early, like a deadline.
    ///
    /// - Parameters:
    ///   - timeout: The longest wait.
    ///   - clock: The clock measuring `timeout` (a test clock in tests).
    /// - Returns: The ids still in flight when the wait ended, ascending; empty when all finished.
    public func waitUntilIdle<C: Clock>(
        timeout: C.Duration, clock: C = ContinuousClock()
    ) async -> [Int64] {
        let deadline = clock.now.advanced(by: timeout)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.idle() }
            group.addTask { try? await clock.sleep(until: deadline, tolerance: nil) }
            await group.next()
            group.cancelAll()
        }
        return inFlightIDs
    }

    /// Returns when the in-flight count is zero, or when the task is cancelled.
    private func idle() async {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.count == 0 || Task.isCancelled { return true }
                    state.idleWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.idleWaiters.removeValue(forKey: id) }?.resume()
        }
    }
}
