/// The round trips of several `getMe` calls, summarised as median and spread and judged against the rule of
/// thumb for a bot server: a stable 50 ms or less to the Bot API is good, 50–150 ms is workable, beyond that
/// every reply waits noticeably and the server should move closer to Telegram's data centres.
public struct RoundTripSummary: Sendable, Hashable {
    /// At or below this median, the round trip is good.
    public static let goodMedian: Duration = .milliseconds(50)
    /// Above this median, move the server.
    public static let slowMedian: Duration = .milliseconds(150)
    /// Above this spread (slowest − fastest), the round trip is called unstable.
    public static let unstableSpread: Duration = .milliseconds(100)

    /// The measured round trips, in call order.
    public var samples: [Duration]

    /// Creates a summary of `samples` (at least one).
    public init(samples: [Duration]) {
        precondition(!samples.isEmpty, "a round-trip summary needs a sample")
        self.samples = samples
    }

    /// The median (the mean of the middle two for an even count).
    public var median: Duration {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Slowest minus fastest.
    public var spread: Duration { (samples.max() ?? .zero) - (samples.min() ?? .zero) }

    /// The finding for `doctor`: PASS at ≤ 50 ms, WARN above, with the advice to move closer above 150 ms; an
    /// unstable spread is a WARN too.
    public var check: DoctorCheck {
        let text = "\(samples.count) getMe calls: median \(Self.format(median)), spread \(Self.format(spread))"
        if median > Self.slowMedian {
            return DoctorCheck(
                "round-trip", .warn, text + " (slow)",
                fix: "move the server closer to Telegram's data centres (api.telegram.org answers from Amsterdam): "
                    + "a good bot server has a stable round trip of 50 ms or less")
        }
        if median > Self.goodMedian {
            return DoctorCheck(
                "round-trip", .warn, text + " (workable; 50 ms or less is good)",
                fix: "a server near Telegram's data centres (Amsterdam) gets 50 ms or less")
        }
        if spread > Self.unstableSpread {
            return DoctorCheck(
                "round-trip", .warn, text + " (unstable)",
                fix: "look for packet loss or an overloaded host between this server and api.telegram.org")
        }
        return DoctorCheck("round-trip", .pass, text + " (good)")
    }

    /// Milliseconds with one decimal: `"48.3 ms"`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = seconds * 10_000 + attoseconds / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
