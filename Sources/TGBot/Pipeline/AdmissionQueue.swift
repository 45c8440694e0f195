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

    private let waiters = Mutex<[Waiter]>([])

    /// The number of requests waiting now.
    var count: Int { waiters.withLock { $0.count } }

    /// Waits until ``signal()`` picks this waiter or `timeout` passes.
    ///
    /// - Parameters:
    ///   - timeout: the longest wait.
    ///   - isStillFull: asked once the waiter is registered, so a slot freed between the caller's failed claim
    ///     and its registration (whose ``signal()`` found nobody) is not missed.
    /// - Returns: true when woken for a freed slot (the caller must still claim it), false on timeout.
    func wait(timeout: Duration, isStillFull: () -> Bool) async -> Bool {
        let waiter = Waiter()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            waiter.continuation.withLock { $0 = continuation }
            waiters.withLock { $0.append(waiter) }
            if !isStillFull() {
                waiters.withLock { list in list.removeAll { $0 === waiter } }
                waiter.resume(true)
                return
            }
            let nanoseconds = max(
                0, Int(timeout.components.seconds) * 1_000_000_000 + Int(timeout.components.attoseconds / 1_000_000_000)
            )
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
                waiters.withLock { list in list.removeAll { $0 === waiter } }
                waiter.resume(false)
            }
        }
    }

    /// Wakes every waiter (shutdown: they find the limiter closed and are refused at once).
    func signalAll() {
        for waiter in waiters.withLock({ list -> [Waiter] in
            defer { list.removeAll() }
            return list
        }) {
            waiter.resume(true)
        }
    }

    /// A slot was freed: wakes the longest-waiting request, if any.
    func signal() {
        let first = waiters.withLock { list -> Waiter? in list.isEmpty ? nil : list.removeFirst() }
        first?.resume(true)
    }
}
