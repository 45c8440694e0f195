import TGBotTypes

/// One registered handler: a filter that decides whether it applies to an update, and a body that runs when it
/// does. Registered with ``Dispatcher/on(_:group:name:_:)`` or one of the per-kind methods.
public struct Handler: Sendable {
    /// A handler body. It receives the context with ``UpdateContext/captures`` set from its filter.
    public typealias Body = @Sendable (UpdateContext) async throws -> Void

    /// The name used in logs, errors and outcomes (`command:/start`, `callback_query`, or your own).
    public var name: String
    /// The group: lower groups run first; within a group only the first matching handler runs.
    public var group: Int
    /// Decides whether the handler applies, and what it captures.
    public var filter: Filter
    /// What runs.
    public var body: Body

    /// Creates a handler.
    public init(name: String, group: Int = 0, filter: Filter, body: @escaping Body) {
        self.name = name
        self.group = group
        self.filter = filter
        self.body = body
    }
}
