import Logging
import Synchronization

/// An HTTP/1.1 server on non-blocking POSIX sockets and `epoll`, with a small fixed number of I/O threads.
///
/// ```swift
/// var router = Router()
/// router.on(.get, "/hello") { _ in HTTPResponse(status: .ok, text: "hello\n") }
/// let server = HTTPServer(configuration: .init(bindTargets: [.tcp(host: "127.0.0.1", port: 0)]), router: router)
/// try server.start()
/// print(server.localAddresses)          // ["127.0.0.1:43121"]
/// // …
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
///
/// The server knows nothing of what it serves: requests go to a ``Router``. It enforces every framing rule and
/// limit itself (see ``HTTPParseError``), closes slow and idle clients, caps open connections, and shuts down
/// gracefully: it stops accepting, closes idle connections, lets in-flight requests finish until a deadline,
/// then closes the rest.
///
/// Thread-safety: all methods may be called from any thread or task.
public final class HTTPServer: Sendable {
    private enum State {
        case created
        case running(Running)
        case stopping
        case stopped
    }

    private struct Running: Sendable {
        var listeners: [ListeningSocket]
        var loops: [ServerLoop]
    }

    private let context: ServerContext
    private let state = Mutex<State>(.created)
    private let addresses = Mutex<[String]>([])
    private let boundPorts = Mutex<[Int]>([])

    /// Creates a server; nothing is bound until ``start()``.
    public init(configuration: HTTPServerConfiguration, router: Router, logger: Logger = Logger(label: "tgbotd.http")) {
        context = ServerContext(configuration: configuration, router: router, logger: logger)
    }

    /// The configuration in force.
    public var configuration: HTTPServerConfiguration { context.configuration }

    /// The bound addresses, once started (`127.0.0.1:43121`, `[::1]:8080`, `unix:/run/tgbotd.sock`).
    public var localAddresses: [String] { addresses.withLock { $0 } }

    /// The first bound TCP port, once started (useful with port 0).
    public var port: Int? { boundPorts.withLock { $0.first } }

    /// The number of open connections.
    public var openConnectionCount: Int { context.openConnections.load(ordering: .relaxed) }

    /// Connections owned by each I/O thread, in loop order (for tests and diagnostics).
    package var connectionsPerLoop: [Int] {
        state.withLock { state -> [ServerLoop] in
            if case .running(let running) = state { return running.loops }
            return []
        }.map { $0.assignedConnections.load(ordering: .relaxed) }
    }

    /// Binds every target and starts the I/O threads.
    ///
    /// - Throws: ``SocketError`` when a target cannot be bound (the message names the address and errno).
    public func start() throws(SocketError) {
        let canStart = state.withLock { state -> Bool in
            if case .created = state {
                state = .stopping  // placeholder while starting; replaced below
                return true
            }
            return false
        }
        guard canStart else { throw SocketError("start", errno: 0, detail: "server already started") }
        var listeners: [ListeningSocket] = []
        var loops: [ServerLoop] = []
        do throws(SocketError) {
            for target in context.configuration.bindTargets {
                listeners.append(try ListeningSocket.open(target, backlog: context.configuration.backlog))
            }
            for index in 0..<context.configuration.ioThreads {
                loops.append(ServerLoop(loop: try EventLoop(index: index), context: context))
            }
            // Before the threads start: no concurrent access.
            for serverLoop in loops { serverLoop.attach(listeners: listeners, peers: loops) }
            for serverLoop in loops { try serverLoop.loop.start() }
        } catch {
            for listener in listeners { listener.close() }
            state.withLock { $0 = .created }
            throw error
        }
        addresses.withLock { $0 = listeners.map(\.boundAddress) }
        boundPorts.withLock { $0 = listeners.compactMap(\.port) }
        let running = Running(listeners: listeners, loops: loops)
        state.withLock { $0 = .running(running) }
        context.logger.info(
            "HTTP server listening",
            metadata: [
                "net.addresses": "\(listeners.map(\.boundAddress).joined(separator: ", "))",
                "io.threads": "\(loops.count)",
            ])
    }

    /// Whether every I/O thread completed an iteration within `threshold`: a stuck loop fails this.
    public func isResponsive(within threshold: Duration = .seconds(2)) -> Bool {
        let loops = state.withLock { state -> [ServerLoop] in
            if case .running(let running) = state { return running.loops }
            return []
        }
        guard !loops.isEmpty else { return false }
        let now = Syscall.monotonicNanoseconds()
        let limit = threshold.nanoseconds
        return loops.allSatisfy { now &- $0.loop.lastHeartbeat <= limit || $0.loop.lastHeartbeat > now }
    }

    /// Shuts down gracefully: stop accepting, close idle connections, wait for in-flight requests until
    /// `gracePeriod` has passed, close what remains, stop the I/O threads. Returns when all of that is done.
    /// Calling it again, or before ``start()``, returns at once.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let running = state.withLock { state -> Running? in
            guard case .running(let running) = state else { return nil }
            state = .stopping
            return running
        }
        guard let running else { return }
        let deadline = Syscall.monotonicNanoseconds() &+ gracePeriod.nanoseconds
        for serverLoop in running.loops {
            await Self.onLoop(serverLoop) {
                serverLoop.stopAccepting()
                serverLoop.beginDraining()
            }
        }
        for listener in running.listeners { listener.close() }
        context.logger.info("HTTP server draining", metadata: ["http.open_connections": "\(openConnectionCount)"])
        // Bounded wait: at most gracePeriod, polling every 5 ms.
        while openConnectionCount > 0 && Syscall.monotonicNanoseconds() < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let remaining = openConnectionCount
        if remaining > 0 {
            context.logger.info("Shutdown deadline passed; closing connections", metadata: ["count": "\(remaining)"])
            for serverLoop in running.loops { await Self.onLoop(serverLoop) { serverLoop.closeAll() } }
        }
        for serverLoop in running.loops { await serverLoop.loop.stop() }
        state.withLock { $0 = .stopped }
        context.logger.info("HTTP server stopped")
    }

    private static func onLoop(_ serverLoop: ServerLoop, _ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            serverLoop.loop.execute {
                work()
                continuation.resume()
            }
        }
    }
}
