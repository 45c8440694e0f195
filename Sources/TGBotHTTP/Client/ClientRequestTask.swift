/// One call of ``HTTPClient/execute(_:timeout:)`` in flight: the encoded request and the continuation that
/// delivers its result.
///
/// Created on the caller's task, then handed to one ``ClientLoop``; from then on every mutable property is
/// touched only on that loop's thread (submission, cancellation and completion all arrive as loop work), which
/// also makes "resume exactly once" a plain check of ``isDone``.
final class ClientRequestTask: @unchecked Sendable {
    // Sendable: `bytes`, `method`, `deadline` and `wantsClose` are immutable; `continuation`, `isCancelled`,
    // `isDone`, `hasRetried` and `connection` are confined to the loop thread the task was submitted to.

    let bytes: [UInt8]
    let method: HTTPMethod
    /// Monotonic nanoseconds after which the request fails with ``HTTPClientError/Code/timeout``.
    let deadline: UInt64
    /// The request itself said `Connection: close`.
    let wantsClose: Bool
    var continuation: CheckedContinuation<HTTPClientResponse, any Error>?
    var isCancelled = false
    private(set) var isDone = false
    var hasRetried = false
    /// The connection carrying the request, while one does.
    var connection: ClientConnection?

    init(bytes: [UInt8], method: HTTPMethod, deadline: UInt64, wantsClose: Bool) {
        self.bytes = bytes
        self.method = method
        self.deadline = deadline
        self.wantsClose = wantsClose
    }

    /// Delivers the result (once; later calls are ignored).
    func finish(_ result: Result<HTTPClientResponse, any Error>) {
        guard !isDone, let continuation else { return }
        isDone = true
        self.continuation = nil
        connection = nil
        continuation.resume(with: result)
    }

    /// The caller's task was cancelled: fail now, and close the connection if one carries the request (a
    /// half-sent request or half-read response leaves it unusable).
    func cancel() {
        guard !isDone else { return }
        isCancelled = true
        guard continuation != nil else { return }  // not submitted yet: submission sees `isCancelled`
        let carrier = connection
        finish(.failure(CancellationError()))
        carrier?.abandon()
    }
}
