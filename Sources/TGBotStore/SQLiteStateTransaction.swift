import FoundationEssentials
import TGBotDispatch

/// The transaction a body of ``SQLiteStateStore/transaction(_:)`` sees: reads and writes go straight to SQLite
/// inside the body's savepoint, so reads see the body's own writes and everything committed before.
///
/// Not `Sendable` (``StateTransaction`` is not): used only by its body, on the writer queue.
final class SQLiteStateTransaction: StateTransaction {
    private let writer: StateWriter
    /// Set when the body returns; later use is a programming error.
    var isOpen = true
    /// The first SQLite failure, kept even if the body catches the error it was given: the savepoint is then
    /// rolled back whatever the body returns.
    private(set) var failure: StoreError?

    init(writer: StateWriter) {
        self.writer = writer
    }

    func value<Value: StateValue>(_ type: Value.Type, for key: StateKey) throws -> Value? {
        precondition(isOpen, "a StateTransaction was used after its transaction ended")
        let stored: (json: String, type: String)?
        do throws(StoreError) {
            stored = try writer.read(key)
        } catch {
            throw fail(error)
        }
        guard let stored else { return nil }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(stored.json.utf8))
        } catch {
            throw StateError.typeMismatch(key: key, stored: stored.type, requested: String(describing: type))
        }
    }

    func set<Value: StateValue>(_ value: Value?, for key: StateKey) throws {
        precondition(isOpen, "a StateTransaction was used after its transaction ended")
        guard let value else {
            do throws(StoreError) { try writer.delete(key) } catch { throw fail(error) }
            return
        }
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        } catch {
            throw StateError.notEncodable(key: key, reason: "\(error)")
        }
        do throws(StoreError) {
            try writer.write(json, type: String(describing: Value.self), for: key)
        } catch {
            throw fail(error)
        }
    }

    private func fail(_ error: StoreError) -> StateError {
        if failure == nil { failure = error }
        return StateError.unavailable(error.description)
    }
}
