import Dispatch

/// One SQLite connection confined to a serial `DispatchQueue` that this executor owns.
///
/// SQLite calls block (disk I/O, `fsync`, busy waits), so they must never run on the Swift cooperative pool,
/// which has only as many threads as cores. Every call goes to the private queue — never
/// `DispatchQueue.global()` — and async callers are bridged with a continuation, so the awaiting task gives
/// its thread back while the disk works.
///
/// Sendable: the only mutable state is `connection`, and it is read or used only inside blocks running on
/// `queue`, which is serial; `queue` itself is Sendable. So at most one thread touches the connection at a
/// time, which is the confinement SQLite's multi-thread mode (`SQLITE_OPEN_NOMUTEX`) requires.
final class SQLiteExecutor: @unchecked Sendable {
    private let queue: DispatchQueue
    private var connection: SQLiteConnection?

    /// Creates an executor whose queue carries `label` (visible in debuggers and thread dumps).
    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Opens the connection on the queue with `open`, which receives nothing and returns the connection.
    func open(_ open: @escaping @Sendable () throws(StoreError) -> SQLiteConnection) async throws(StoreError) {
        try await run(setUp: open)
    }

    /// Runs `body` with the connection on the queue and returns its result to the awaiting task.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.withConnection(body))
            }
        }
        return try result.get()
    }

    /// Schedules `body` on the queue without waiting; it receives the connection, or the error when closed.
    func submit(_ body: @escaping @Sendable (Result<SQLiteConnection, StoreError>) -> Void) {
        queue.async {
            if let connection = self.connection {
                body(.success(connection))
            } else {
                body(.failure(StoreError(operation: "write", path: nil, code: nil, message: "the database is closed")))
            }
        }
    }

    /// Closes the connection after every block queued before this call has run.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.connection?.close()
                self.connection = nil
                continuation.resume()
            }
        }
    }

    private func run(setUp open: @escaping @Sendable () throws(StoreError) -> SQLiteConnection) async throws(StoreError)
    {
        let result: Result<Void, StoreError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(StoreError) {
                    self.connection = try open()
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }

    private func withConnection<T>(
        _ body: (SQLiteConnection) throws(StoreError) -> T
    ) -> Result<T, StoreError> {
        guard let connection else {
            return .failure(StoreError(operation: "query", path: nil, code: nil, message: "the database is closed"))
        }
        do throws(StoreError) {
            return .success(try body(connection))
        } catch {
            return .failure(error)
        }
    }
}
