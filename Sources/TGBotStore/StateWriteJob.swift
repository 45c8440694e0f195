/// One unit of work queued for the state store's next group commit. The writer queue runs it inside its own
/// `SAVEPOINT` of the batch, then calls ``finish(_:)`` once the batch committed or failed.
protocol StateWriteJob: AnyObject, Sendable {
    /// Runs inside the job's savepoint on the writer queue.
    ///
    /// - Returns: false when the savepoint must be rolled back (the job failed; its caller gets the error).
    func run(_ writer: StateWriter) -> Bool

    /// Resumes the caller: with the job's own outcome when the batch committed (`failure == nil`), else with
    /// the batch's error, since nothing of the batch was kept.
    func finish(_ failure: StoreError?)
}

/// Store housekeeping (pruning effects) queued like a transaction, so it shares the batch's busy retries.
///
/// Sendable: as ``PendingTransaction``, its mutable state is touched only on the writer queue after handover.
final class PendingOperation<Value: Sendable>: StateWriteJob, @unchecked Sendable {
    private let operation: @Sendable (StateWriter) throws(StoreError) -> Value
    private var continuation: CheckedContinuation<Value, any Error>?
    private var outcome: Swift.Result<Value, StoreError>?

    init(
        _ operation: @escaping @Sendable (StateWriter) throws(StoreError) -> Value,
        continuation: CheckedContinuation<Value, any Error>
    ) {
        self.operation = operation
        self.continuation = continuation
    }

    func run(_ writer: StateWriter) -> Bool {
        do throws(StoreError) {
            outcome = .success(try operation(writer))
            return true
        } catch {
            outcome = .failure(error)
            return false
        }
    }

    func finish(_ failure: StoreError?) {
        let outcome: Swift.Result<Value, StoreError> =
            if let failure { .failure(failure) } else {
                self.outcome ?? .failure(StoreError(operation: "write", path: nil, code: nil, message: "did not run"))
            }
        continuation?.resume(with: outcome.mapError { $0 as any Error })
        continuation = nil
    }
}
