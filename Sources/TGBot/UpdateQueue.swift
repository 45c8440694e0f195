import Logging
import Synchronization
import TGBotTypes

/// A bounded in-memory ``UpdateSink`` that hands updates, in arrival order, to a consumer function.
///
/// When `capacity` updates are waiting, ``submit(_:)`` refuses with `.overloaded`, which intake turns into
/// `503 Retry-After` — backpressure reaches Telegram instead of memory growing without bound. Every update
/// that was accepted is consumed before ``run()`` returns after ``finish()``: nothing answered 200 is dropped
/// while the process lives.
public final class UpdateQueue: UpdateSink {
    private struct State {
        var buffer: [RawUpdate] = []
        var head = 0
        var waiter: CheckedContinuation<RawUpdate?, Never>?
        var isFinished = false
        var count: Int { buffer.count - head }
    }

    /// The most updates waiting at once.
    public let capacity: Int
    private let state = Mutex(State())
    private let consume: @Sendable (RawUpdate) async -> Void

    /// Creates a queue.
    /// - Parameters:
    ///   - capacity: the bound on waiting updates.
    ///   - consume: called once per update, one at a time, in arrival order.
    public init(capacity: Int = 1024, consume: @escaping @Sendable (RawUpdate) async -> Void) {
        self.capacity = max(1, capacity)
        self.consume = consume
    }

    /// The number of updates waiting.
    public var depth: Int { state.withLock { $0.count } }

    public var isOverloaded: Bool { state.withLock { $0.count >= capacity } }

    public func submit(_ update: RawUpdate) async -> SubmitResult {
        let outcome = state.withLock { state -> (SubmitResult, CheckedContinuation<RawUpdate?, Never>?) in
            if state.isFinished { return (.unavailable(reason: "shutting down"), nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.accepted, waiter)
            }
            if state.count >= capacity { return (.overloaded(retryAfterSeconds: 1), nil) }
            state.buffer.append(update)
            return (.accepted, nil)
        }
        outcome.1?.resume(returning: update)
        return outcome.0
    }

    /// Stops taking updates; ``run()`` returns once the waiting ones are consumed.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<RawUpdate?, Never>? in
            state.isFinished = true
            defer { state.waiter = nil }
            return state.count == 0 ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// Consumes updates until ``finish()`` was called and the queue is empty.
    public func run() async {
        while let update = await next() {
            await consume(update)
        }
    }

    private func next() async -> RawUpdate? {
        if let ready = state.withLock({ state -> RawUpdate?? in
            if state.count > 0 {
                let update = state.buffer[state.head]
                state.head += 1
                if state.head > 64 && state.head * 2 >= state.buffer.count {
                    state.buffer.removeSubrange(0..<state.head)
                    state.head = 0
                }
                return .some(update)
            }
            if state.isFinished { return .some(nil) }
            return nil
        }) {
            return ready
        }
        return await withCheckedContinuation { continuation in
            let immediate = state.withLock { state -> RawUpdate?? in
                if state.count > 0 {
                    let update = state.buffer[state.head]
                    state.head += 1
                    return .some(update)
                }
                if state.isFinished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }
}
