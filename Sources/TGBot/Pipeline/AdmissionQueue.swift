import Dispatch
import Synchronization

/// Webhook requests waiting for a free in-flight slot, woken in arrival order as updates finish.
///
/// When the in-flight bound is reached, refusing at once makes Telegram (or a load generator) resend at full
/// speed, and the daemon spends its CPU answering 503s instead of finishing updates. Holding the request for a
/// short while instead lets the connection act as flow control; only when no slot frees up within the wait is
/// the update refused with `503 Retry-After`. Waiting holds no thread. Safe from any thread.
final class AdmissionQueue: Sendable {
    private final class Waiter: Sendable {
        let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

        /// Resumes the waiter once; later calls do nothing.
        func resume(_ granted: Bool) {
            continuation.withLock { c -> CheckedContinuation<Bool, Never>? in
                defer { c = nil }
                return c
            }?.resume(returning: granted)
        }
    }

    private struct Entry {
        let waiter: Waiter
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        /// Waiting requests, oldest first.
        var entries: [Entry] = []
        /// Expires overdue waiters; runs only while someone waits.
        var sweeper: (any DispatchSourceTimer)?
    }

    /// How often overdue waiters are refused: one shared timer instead of a timer per waiting request (which,
    /// under sustained overload, kept thousands of pending timers and a busy dispatch manager thread).
    private static let sweepInterval = DispatchTimeInterval.milliseconds(10)

    private let state = Mutex(State())

    /// The number of requests waiting now.
    var count: Int { state.withLock { $0.entries.count } }

    /// Waits until ``signal()`` picks this waiter or `timeout` passes (give or take the 10 ms sweep interval).
    ///
    /// - Parameters:
    ///   - timeout: the longest wait.
    ///   - isStillFull: asked once the waiter is registered, so a slot freed between the caller's failed claim
    ///     and its registration (whose ``signal()`` found nobody) is not missed.
    /// - Returns: true when woken for a freed slot (the caller must still claim it), false on timeout.
    func wait(timeout: Duration, isStillFull: () -> Bool) async -> Bool {
        let waiter = Waiter()
        let deadline = ContinuousClock.now + timeout
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            waiter.continuation.withLock { $0 = continuation }
            let sweeper = state.withLock { state -> (any DispatchSourceTimer)? in
                state.entries.append(Entry(waiter: waiter, deadline: deadline))
                guard state.sweeper == nil else { return nil }
                let timer = DispatchSource.makeTimerSource(queue: .global())
                timer.schedule(
                    deadline: .now() + Self.sweepInterval, repeating: Self.sweepInterval, leeway: .milliseconds(5))
                timer.setEventHandler { [self] in sweep() }
                state.sweeper = timer
                return timer
            }
            sweeper?.resume()
            if !isStillFull() {
                state.withLock { $0.entries.removeAll { $0.waiter === waiter } }
                waiter.resume(true)
            }
        }
    }

    /// Refuses the waiters whose deadline has passed, and stops the timer when nobody waits.
    private func sweep() {
        let now = ContinuousClock.now
        let (expired, stopped) = state.withLock { state -> ([Waiter], (any DispatchSourceTimer)?) in
            var expired: [Waiter] = []
            state.entries.removeAll { entry in
                guard entry.deadline <= now else { return false }
                expired.append(entry.waiter)
                return true
            }
            guard state.entries.isEmpty, let timer = state.sweeper else { return (expired, nil) }
            state.sweeper = nil
            return (expired, timer)
        }
        stopped?.cancel()
        for waiter in expired { waiter.resume(false) }
    }

    /// Wakes every waiter (shutdown: they find the limiter closed and are refused at once).
    func signalAll() {
        for entry in state.withLock({ state -> [Entry] in
            defer { state.entries.removeAll() }
            return state.entries
        }) {
            entry.waiter.resume(true)
        }
    }

    /// A slot was freed: wakes the longest-waiting request, if any.
    func signal() {
        let first = state.withLock { state -> Waiter? in
            state.entries.isEmpty ? nil : state.entries.removeFirst().waiter
        }
        first?.resume(true)
    }
}
