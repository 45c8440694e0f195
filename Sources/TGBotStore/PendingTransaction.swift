import FoundationEssentials
import TGBotDispatch

/// A caller's ``SQLiteStateStore/transaction(_:)`` waiting in the queue.
///
/// Sendable: made by the calling task and handed over through the store's `Mutex` to the writer queue; from
/// then on its mutable properties (`body`, `outcome`, `continuation`) are touched only on that serial queue.
final class PendingTransaction<Result: Sendable>: StateWriteJob, @unchecked Sendable {
    typealias Body = @Sendable (any StateTransaction) throws -> Result

    /// The caller's body. It is only made escapable by `withoutActuallyEscaping`, so it is released (set to
    /// nil) before the caller is resumed.
    private var body: Body?
    private let effect: EffectID?
    private var continuation: CheckedContinuation<Result, any Error>?
    private var outcome: Swift.Result<Result, any Error>?

    init(body: @escaping Body, effect: EffectID?, continuation: CheckedContinuation<Result, any Error>) {
        self.body = body
        self.effect = effect
        self.continuation = continuation
    }

    func run(_ writer: StateWriter) -> Bool {
        guard let body else { return false }
        self.body = nil
        if let effect {
            do throws(StoreError) {
                if let recorded = try writer.recordedEffect(effect) {
                    // Committed before (this run is a replay): return the recorded result, apply nothing.
                    outcome = Swift.Result { try Self.decode(recorded, effect: effect) }
                    return true
                }
            } catch {
                outcome = .failure(StateError.unavailable(error.description))
                return false
            }
        }
        let transaction = SQLiteStateTransaction(writer: writer)
        do {
            let result = try body(transaction)
            transaction.isOpen = false
            if let failure = transaction.failure { throw StateError.unavailable(failure.description) }
            if let effect {
                let payload = try Self.encode(result)
                do throws(StoreError) {
                    try writer.recordEffect(effect, payload: payload)
                } catch {
                    throw StateError.unavailable(error.description)
                }
            }
            outcome = .success(result)
            return true
        } catch {
            transaction.isOpen = false
            outcome = .failure(error)
            return false
        }
    }

    func finish(_ failure: StoreError?) {
        body = nil
        let outcome: Swift.Result<Result, any Error> =
            if let failure {
                .failure(StateError.unavailable(failure.description))
            } else {
                self.outcome ?? .failure(StateError.unavailable("the transaction did not run"))
            }
        self.outcome = nil
        continuation?.resume(with: outcome)
        continuation = nil
    }

    /// The JSON payload recorded for `result`: nil for `Void` and for results that are not `Encodable`.
    private static func encode(_ result: Result) throws -> [UInt8]? {
        if Result.self == Void.self { return nil }
        guard let encodable = result as? any Encodable else { return nil }
        return Array(try JSONEncoder().encode(encodable))
    }

    /// The result recorded as `payload` by an earlier run of `effect`.
    private static func decode(_ payload: [UInt8]?, effect: EffectID) throws -> Result {
        if Result.self == Void.self, let void = () as? Result { return void }
        let notReplayable = StateError.resultNotReplayable(
            updateID: effect.updateID, sequence: effect.sequence, resultType: String(describing: Result.self))
        guard let payload, let type = Result.self as? any Decodable.Type else { throw notReplayable }
        guard let result = try JSONDecoder().decode(type, from: Data(payload)) as? Result else { throw notReplayable }
        return result
    }
}
