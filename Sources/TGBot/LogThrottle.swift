import Synchronization

/// Lets one log line through per interval and counts the ones held back, for events that can repeat thousands
/// of times a second (refusals under overload). Safe from any thread.
final class LogThrottle: Sendable {
    private struct State {
        var lastLine: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let interval: Duration
    private let state = Mutex(State())

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether to log now.
    /// - Returns: the number of events suppressed since the last line when the caller should log; nil otherwise.
    func shouldLog(now: ContinuousClock.Instant = .now) -> Int? {
        state.withLock { state in
            if let last = state.lastLine, now - last < interval {
                state.suppressed += 1
                return nil
            }
            defer { state.suppressed = 0 }
            state.lastLine = now
            return state.suppressed
        }
    }
}
