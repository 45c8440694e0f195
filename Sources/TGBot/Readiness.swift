import Synchronization

/// Whether the daemon accepts updates, as `/readyz` reports it.
public final class Readiness: Sendable {
    /// The daemon's phase.
    public enum Phase: Int, Sendable, CustomStringConvertible {
        case starting, ready, draining, stopped

        public var description: String {
            switch self {
            case .starting: "starting"
            case .ready: "ready"
            case .draining: "draining"
            case .stopped: "stopped"
            }
        }
    }

    private let value = Atomic<Int>(Phase.starting.rawValue)

    public init() {}

    /// The current phase.
    public var phase: Phase { Phase(rawValue: value.load(ordering: .acquiring)) ?? .stopped }

    /// Moves to `phase`.
    public func set(_ phase: Phase) { value.store(phase.rawValue, ordering: .releasing) }
}
