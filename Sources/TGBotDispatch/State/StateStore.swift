/// A value a ``StateStore`` can hold: `Codable` so a durable store can serialize it, `Sendable` so it can cross
/// tasks.
public typealias StateValue = Codable & Sendable

/// Shared bot state — per-user, per-chat and per-bot data — that stays correct under concurrent handlers.
///
/// Every operation is a transaction: a **synchronous** body that reads and writes any keys and either commits
/// all its writes or, when it throws, none. Because the body cannot `await`, transactions never interleave with
/// each other and cannot deadlock; that is also the shape of a SQLite transaction (`BEGIN IMMEDIATE … COMMIT`),
/// so a durable store can implement this protocol without changing bot code.
///
/// ```swift
/// let moved = try await store.transaction { tx in
///     let (alice, bob) = (StateKey(.user(1), "balance"), StateKey(.user(2), "balance"))
///     let from = try tx.value(Int.self, for: alice) ?? 0
///     guard from >= 10 else { return false }
///     try tx.set(from - 10, for: alice)
///     try tx.set((try tx.value(Int.self, for: bob) ?? 0) + 10, for: bob)
///     return true
/// }
/// ```
///
/// Conformers must be safe to call from any task concurrently.
public protocol StateStore: Sendable {
    /// Runs `body` atomically and isolated from every other transaction of this store.
    ///
    /// - Parameter body: Reads and writes through the transaction; must not keep it beyond its return.
    /// - Returns: what `body` returns, after its writes are committed.
    /// - Throws: what `body` throws (its writes are then discarded), or a ``StateError`` from the store.
    func transaction<Result: Sendable>(
        _ body: @Sendable (any StateTransaction) throws -> Result
    ) async throws -> Result
}

/// The view of a store inside one ``StateStore/transaction(_:)``. Valid only during the body.
public protocol StateTransaction: AnyObject {
    /// The value under `key`, or nil when there is none.
    ///
    /// - Throws: ``StateError/typeMismatch(key:stored:requested:)`` when the stored value is another type.
    func value<Value: StateValue>(_ type: Value.Type, for key: StateKey) throws -> Value?

    /// Stores `value` under `key`, or removes the key when `value` is nil. Visible to later reads of this
    /// transaction at once, and to other transactions after commit.
    ///
    /// - Throws: ``StateError`` when a durable store cannot encode the value.
    func set<Value: StateValue>(_ value: Value?, for key: StateKey) throws
}

extension StateStore {
    /// The value under `key`, read in its own transaction.
    public func value<Value: StateValue>(_ type: Value.Type, for key: StateKey) async throws -> Value? {
        try await transaction { tx in try tx.value(type, for: key) }
    }

    /// Stores (or with nil removes) the value under `key` in its own transaction.
    public func set<Value: StateValue>(_ value: Value?, for key: StateKey) async throws {
        try await transaction { tx in try tx.set(value, for: key) }
    }

    /// Atomically reads, modifies and writes the value under `key`: no other transaction can change it in
    /// between, so concurrent `update`s of a counter never lose an increment.
    ///
    /// - Parameters:
    ///   - default: The value to start from when the key is absent.
    ///   - body: Modifies the value; setting it to nil removes the key.
    /// - Returns: what `body` returns.
    public func update<Value: StateValue, Result: Sendable>(
        _ type: Value.Type, for key: StateKey, default: Value? = nil,
        _ body: @Sendable (inout Value?) throws -> Result
    ) async throws -> Result {
        try await transaction { tx in
            var value = try tx.value(type, for: key) ?? `default`
            let result = try body(&value)
            try tx.set(value, for: key)
            return result
        }
    }
}
