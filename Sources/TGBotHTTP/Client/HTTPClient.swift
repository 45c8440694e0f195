import Dispatch
import Synchronization

/// An HTTP/1.1 client for `http://` and `https://` URLs, running its connections on its own ``EventLoop``
/// threads.
///
/// Built for many small requests to a few hosts, such as a bot talking to the Bot API: each scheme, host and
/// port gets a pool of kept-alive connections (up to
/// ``HTTPClientConfiguration/maxConnectionsPerHost``), requests beyond the cap wait in FIFO order, and a
/// request that finds its reused connection closed by the server before any response byte is retried once on a
/// fresh connection. There is no other retry, no redirect following and no pipelining.
///
/// HTTPS is OpenSSL over memory BIOs (``TLSSession``): the loop keeps doing non-blocking socket I/O and the TLS
/// layer turns ciphertext into the plaintext the HTTP parser reads. Certificates are verified by default
/// against the system trust store and the request's host (see ``HTTPClientTLSConfiguration``); the OpenSSL
/// context is built on the first `https` request, off the loops and the cooperative pool.
///
/// ```swift
/// let client = try HTTPClient()
/// let request = try HTTPClientRequest(method: .post, url: "http://127.0.0.1:8081/echo", body: Array("hi".utf8))
/// let response = try await client.execute(request, timeout: .seconds(5))
/// print(response.status.code, response.body.count)
/// await client.shutdown()
/// ```
///
/// Thread-safety: call ``execute(_:timeout:)`` from any number of tasks. Each call is handed to one loop
/// (round robin) and everything about its connection happens on that loop's thread. Names are resolved with
/// `getaddrinfo` on a Dispatch global queue, never on a loop or the cooperative pool. Call ``shutdown()`` when
/// done: the loop threads run until then.
public final class HTTPClient: Sendable {
    /// The settings in force.
    public let configuration: HTTPClientConfiguration
    private let loops: [ClientLoop]
    private let resolver = HostResolver()
    private let nextLoop = Atomic<Int>(0)
    private let isShutdown = Atomic<Bool>(false)
    /// The TLS context (or why it could not be built), once an `https` request asked for it.
    private let tlsContext = Mutex<Result<TLSClientContext, HTTPClientError>?>(nil)

    /// Creates the client and starts its loop threads.
    ///
    /// - Throws: `SocketError` when an `epoll` instance or a thread cannot be created.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws(SocketError) {
        self.configuration = configuration
        let count = max(1, configuration.eventLoopCount)
        // The per-host cap is split over the loops, each of which pools independently.
        let perLoop = max(1, (configuration.maxConnectionsPerHost + count - 1) / count)
        var loops: [ClientLoop] = []
        for index in 0..<count {
            let loop = try EventLoop(index: index, tickInterval: .milliseconds(50))
            loops.append(ClientLoop(loop: loop, configuration: configuration, capacityPerHost: perLoop))
        }
        for clientLoop in loops { try clientLoop.loop.start() }
        self.loops = loops
    }

    /// Sends `request` and returns the complete response, whatever its status.
    ///
    /// - Parameters:
    ///   - request: An `http` or `https` request.
    ///   - timeout: The bound on the whole call, waiting for a connection included; nil for
    ///     ``HTTPClientConfiguration/requestTimeout``.
    /// - Returns: the response with its content.
    /// - Throws: ``HTTPClientError`` when no complete response arrived (its code says why: `unsupportedScheme`,
    ///   `resolve`, `connect`, `certificateVerification`, `tlsHandshake`, `timeout`…); `CancellationError` when
    ///   the calling task is cancelled, which also
    ///   closes the connection carrying the request.
    public func execute(_ request: HTTPClientRequest, timeout: Duration? = nil) async throws -> HTTPClientResponse {
        let scheme = request.scheme.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPClientError(.unsupportedScheme, operation: "request", detail: "\(request.scheme)://")
        }
        let key = ConnectionPool.Key(host: request.host, port: request.port, isTLS: scheme == "https")
        guard !isShutdown.load(ordering: .relaxed) else {
            throw HTTPClientError(.shutdown, operation: "request", detail: "\(key)")
        }
        try Task.checkCancellation()
        let tls = key.isTLS ? try await loadTLSContext() : nil
        let addresses = try await resolver.resolve(host: request.host, port: request.port)
        let deadline =
            Syscall.monotonicNanoseconds() + (timeout ?? configuration.requestTimeout).clampedNanoseconds
        let task = ClientRequestTask(
            bytes: request.encoded(), method: request.method, deadline: deadline,
            wantsClose: request.headers.contains(name: "Connection", token: "close"))
        let clientLoop = loops[nextLoop.add(1, ordering: .relaxed).oldValue % loops.count]
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTPClientResponse, any Error>) in
                let queued = clientLoop.loop.tryExecute {
                    task.continuation = continuation
                    clientLoop.submit(task, key: key, addresses: addresses, tlsContext: tls)
                }
                if !queued {
                    continuation.resume(throwing: HTTPClientError(.shutdown, operation: "request", detail: "\(key)"))
                }
            }
        } onCancel: {
            clientLoop.loop.execute { task.cancel() }
        }
    }

    /// The TLS context, built on first use on a Dispatch global queue (it reads the trust store from disk).
    /// A failure is kept: the configuration does not change, so every `https` request reports it.
    private func loadTLSContext() async throws(HTTPClientError) -> TLSClientContext {
        if let loaded = tlsContext.withLock({ $0 }) { return try loaded.get() }
        let configuration = configuration.tls
        let built = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<TLSClientContext, HTTPClientError>, Never>) in
            DispatchQueue.global().async {
                let result = Result { () throws(HTTPClientError) in try TLSClientContext(configuration: configuration) }
                continuation.resume(returning: result)
            }
        }
        // Two first requests may both build one; the first stored wins and the other is freed.
        let stored = tlsContext.withLock { slot in
            if let existing = slot { return existing }
            slot = built
            return built
        }
        return try stored.get()
    }

    /// Open (or opening) connections to `host:port` (`https` when `isTLS`), over all loops; for tests and
    /// diagnostics.
    package func openConnectionCount(host: String, port: Int, isTLS: Bool = false) async -> Int {
        let key = ConnectionPool.Key(host: host, port: port, isTLS: isTLS)
        var total = 0
        for clientLoop in loops {
            total += await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
                if !clientLoop.loop.tryExecute({ continuation.resume(returning: clientLoop.openConnections(to: key)) })
                {
                    continuation.resume(returning: 0)
                }
            }
        }
        return total
    }

    /// Fails queued and in-flight requests with ``HTTPClientError/Code/shutdown``, closes every connection and
    /// stops the loop threads. Later calls of ``execute(_:timeout:)`` fail the same way. Idempotent.
    public func shutdown() async {
        guard !isShutdown.exchange(true, ordering: .relaxed) else { return }
        for clientLoop in loops {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if !clientLoop.loop.tryExecute({
                    clientLoop.shutdown()
                    continuation.resume()
                }) {
                    continuation.resume()
                }
            }
            await clientLoop.loop.stop()
        }
    }
}
