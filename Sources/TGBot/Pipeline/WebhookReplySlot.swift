import Dispatch
import Synchronization

/// A one-shot rendezvous between webhook intake and the handler of one update, for answering in the webhook
/// response (`--webhook-reply`).
///
/// Intake waits on the slot for a short deadline; the handler's first capturable Bot API call fills it. Whoever
/// comes second loses cleanly: a call after the deadline (or after the handler already made another call) is
/// refused by ``tryCapture(_:)`` and goes over the network instead, and intake answers a plain `200` when the
/// deadline passes or the handler finishes without a call. Safe from any thread.
final class WebhookReplySlot: Sendable {
    private enum State {
        case open(waiter: CheckedContinuation<[UInt8]?, Never>?)
        case captured([UInt8])
        case closed
    }

    private let state = Mutex(State.open(waiter: nil))

    /// Offers the body of the webhook response (`{"method": …, …}`).
    ///
    /// - Returns: true when intake will send it; false when the slot is closed and the caller must send the
    ///   call itself.
    func tryCapture(_ body: [UInt8]) -> Bool {
        let outcome = state.withLock { state -> (Bool, CheckedContinuation<[UInt8]?, Never>?) in
            guard case .open(let waiter) = state else { return (false, nil) }
            if let waiter {
                state = .closed
                return (true, waiter)
            }
            state = .captured(body)
            return (true, nil)
        }
        outcome.1?.resume(returning: body)
        return outcome.0
    }

    /// Closes the slot: no later call is captured. Intake stops waiting with no reply.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, Never>? in
            guard case .open(let waiter) = state else { return nil }
            state = .closed
            return waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Waits until a call is captured, the slot is closed, or `timeout` passes (which closes it).
    ///
    /// The timer runs on a Dispatch global queue, so waiting holds no thread.
    /// - Returns: the captured body, or nil.
    func wait(timeout: Duration) async -> [UInt8]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
            let immediate = state.withLock { state -> [UInt8]?? in
                switch state {
                case .captured(let body):
                    state = .closed
                    return .some(body)
                case .closed:
                    return .some(nil)
                case .open:
                    state = .open(waiter: continuation)
                    return nil
                }
            }
            if let immediate {
                continuation.resume(returning: immediate)
                return
            }
            let nanoseconds = max(
                0,
                Int(timeout.components.seconds) * 1_000_000_000
                    + Int(timeout.components.attoseconds / 1_000_000_000))
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in close() }
        }
    }
}
