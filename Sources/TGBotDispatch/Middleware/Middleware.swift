/// Code that runs around the handlers of every update: logging, metrics, authorization, context enrichment.
///
/// Middleware forms a chain in registration order (``Dispatcher/use(_:)``): each one receives the context and
/// `next`, which runs the rest of the chain and then the handler groups. It may act before and after `next`,
/// pass a modified context to it, or not call it at all to drop the update (which then counts as unhandled).
/// Errors thrown by handlers propagate out of `next` as ``HandlerError``, so a middleware can observe them; the
/// dispatcher routes whatever leaves the chain to the error handlers.
///
/// ```swift
/// dispatcher.use(Middleware(name: "timing") { ctx, next in
///     let start = ContinuousClock.now
///     defer { ctx.logger.debug("Update took", metadata: ["duration": "\(ContinuousClock.now - start)"]) }
///     try await next(ctx)
/// })
/// ```
public struct Middleware: Sendable {
    /// Runs the rest of the chain and the handlers with the given context. Call it at most once.
    public typealias Next = (UpdateContext) async throws -> Void
    /// The middleware's code.
    public typealias Body = @Sendable (_ context: UpdateContext, _ next: Next) async throws -> Void

    /// The name used in errors and logs, e.g. `auth`.
    public var name: String
    /// The middleware's code.
    public var body: Body

    /// Creates a middleware.
    public init(name: String, _ body: @escaping Body) {
        self.name = name
        self.body = body
    }
}
