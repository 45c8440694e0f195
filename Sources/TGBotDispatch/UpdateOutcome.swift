/// What happened to one update in ``Dispatcher/handle(_:bot:spawn:)``, for metrics and tests.
public struct UpdateOutcome: Sendable {
    /// The overall result.
    public enum Status: Sendable, Hashable {
        /// At least one handler ran and none failed.
        case handled
        /// No handler matched, or a middleware ended processing without calling `next`.
        case unhandled
        /// A handler or middleware threw (the error went to the error handlers).
        case failed
    }

    /// One handler run.
    public struct HandlerRun: Sendable, Hashable {
        /// The handler's name.
        public var name: String
        /// The group it is registered in.
        public var group: Int
        /// How long its body ran, measured with `ContinuousClock`.
        public var duration: Duration
        /// Whether it threw an error other than ``StopPropagation``.
        public var failed: Bool
    }

    /// The overall result.
    public var status: Status
    /// The handlers that ran, in order.
    public var runs: [HandlerRun]
    /// The failure, when ``status`` is ``Status/failed``.
    public var error: HandlerError?
    /// Time spent in ``Dispatcher/handle(_:bot:spawn:)``, middleware and error handlers included.
    public var duration: Duration

    /// The names of the handlers that ran, in order.
    public var handlerNames: [String] { runs.map(\.name) }
}
