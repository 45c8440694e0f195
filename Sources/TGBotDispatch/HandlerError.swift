import TGBotTypes

/// A failure of a handler, a middleware or an error handler while processing one update, as error handlers and
/// the update's ``UpdateOutcome`` see it.
///
/// Failures never propagate past ``Dispatcher/handle(_:bot:spawn:)``: they are routed to the error handlers
/// (``Dispatcher/onError(_:)``), or logged when there are none, and processing continues with the next update.
public struct HandlerError: Error, Sendable, CustomStringConvertible {
    /// The update being processed.
    public var updateID: Int64
    /// The name of the handler or middleware that failed (see ``Dispatcher/on(_:group:name:_:)``).
    public var handler: String
    /// What the handler threw.
    public var underlying: any Error

    /// Wraps `underlying`.
    public init(updateID: Int64, handler: String, underlying: any Error) {
        self.updateID = updateID
        self.handler = handler
        self.underlying = underlying
    }

    public var description: String {
        "handler '\(handler)' failed on update \(updateID): \(underlying)"
    }
}
