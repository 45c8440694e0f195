import Synchronization

/// A ``StateStore`` in process memory: fast, shared by every handler of the process, gone on restart.
///
/// Transactions run one at a time under a `Mutex`; a body's writes go to a private overlay and are applied
/// only when it returns, so a throwing body leaves the store untouched. Bodies are synchronous and short,
/// so holding the lock for their duration never blocks a pool thread for long.
///
/// Values are kept as they are (no encoding); a read with another type than the stored one fails with
/// ``StateError/typeMismatch(key:stored:requested:)``, as a durable store's decoding would.
public final class InMemoryStateStore: StateStore {
    private let storage = Mutex<[StateKey: any StateValue]>([:])

    /// Creates an empty store.
    public init() {}

    public func transaction<Result: Sendable>(
        _ body: @Sendable (any StateTransaction) throws -> Result
    ) async throws -> Result {
        try storage.withLock { values in
            let transaction = InMemoryTransaction(committed: values)
            defer { transaction.isOpen = false }
            let result = try body(transaction)
            for (key, value) in transaction.writes {
                values[key] = value
            }
            return result
        }
    }

    /// Every key currently stored, for tests and diagnostics.
    public var keys: Set<StateKey> {
        storage.withLock { Set($0.keys) }
    }
}

/// The transaction handed to a body of ``InMemoryStateStore/transaction(_:)``: reads see the committed values
/// overlaid with this transaction's own writes.
private final class InMemoryTransaction: StateTransaction {
    let committed: [StateKey: any StateValue]
    /// Pending writes; a nil value removes the key on commit.
    var writes: [StateKey: (any StateValue)?] = [:]
    var isOpen = true

    init(committed: [StateKey: any StateValue]) {
        self.committed = committed
    }

    func value<Value: StateValue>(_ type: Value.Type, for key: StateKey) throws -> Value? {
        precondition(isOpen, "a StateTransaction was used after its transaction ended")
        let stored: (any StateValue)? = if let pending = writes[key] { pending } else { committed[key] }
        guard let stored else { return nil }
        guard let value = stored as? Value else {
            throw StateError.typeMismatch(
                key: key, stored: String(describing: Swift.type(of: stored)), requested: String(describing: type))
        }
        return value
    }

    func set<Value: StateValue>(_ value: Value?, for key: StateKey) throws {
        precondition(isOpen, "a StateTransaction was used after its transaction ended")
        writes[key] = .some(value.map { $0 as any StateValue })
    }
}
