/// The data of one scope — the current user, chat or the bot — as ``UpdateContext`` hands it to handlers.
///
/// A thin view over a ``StateStore``: every call is one transaction on the shared store, so values written here
/// are seen by every other handler, and ``update(_:_:default:_:)`` is an atomic read-modify-write. For an
/// invariant across several keys (or scopes), use ``StateStore/transaction(_:)`` on ``store``.
///
/// ```swift
/// let visits = try await ctx.userData?.update("visits", Int.self, default: 0) { count in
///     count! += 1
///     return count!
/// }
/// ```
public struct ScopedState: Sendable {
    /// The underlying store.
    public let store: any StateStore
    /// Whose data this is.
    public let scope: StateScope

    /// Creates a view of `scope` in `store`.
    public init(store: any StateStore, scope: StateScope) {
        self.store = store
        self.scope = scope
    }

    /// The full key of `name` in this scope.
    public func key(_ name: String) -> StateKey {
        StateKey(scope, name)
    }

    /// The value named `name`, or nil.
    public func value<Value: StateValue>(_ name: String, as type: Value.Type) async throws -> Value? {
        try await store.value(type, for: key(name))
    }

    /// Stores `value` under `name`, or removes it when nil.
    public func set<Value: StateValue>(_ name: String, to value: Value?) async throws {
        try await store.set(value, for: key(name))
    }

    /// Atomically reads, modifies and writes the value named `name`; see ``StateStore/update(_:for:default:_:)``.
    public func update<Value: StateValue, Result: Sendable>(
        _ name: String, _ type: Value.Type, default: Value? = nil,
        _ body: @Sendable (inout Value?) throws -> Result
    ) async throws -> Result {
        try await store.update(type, for: key(name), default: `default`, body)
    }
}
