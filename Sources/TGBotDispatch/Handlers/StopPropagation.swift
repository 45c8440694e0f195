/// Thrown by a handler (or middleware) to end processing of the current update after it: handler groups after
/// the current one are skipped. It is a signal, not a failure — the update counts as handled and error handlers
/// do not see it.
///
/// ```swift
/// dispatcher.message(.fromUsers(banned), group: -1) { _, _ in throw StopPropagation() }
/// ```
///
/// Handlers that catch errors broadly (`catch { … }`) should rethrow `StopPropagation`.
public struct StopPropagation: Error, Sendable, Hashable, CustomStringConvertible {
    /// Creates the signal.
    public init() {}

    public var description: String { "stop propagation" }
}
