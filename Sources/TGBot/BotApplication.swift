import Logging
import Synchronization
import TGBotHTTP
import TGBotTypes

/// Wires the pieces of a webhook bot together: HTTP server, webhook intake, health endpoints and the update
/// pipeline, with a graceful lifecycle.
///
/// ```swift
/// let app = BotApplication(configuration: .init(), logger: logger) { update in
///     logger.info("update", metadata: ["update.id": "\(update.updateID)"])
/// }
/// try app.start()
/// await app.run()          // returns after `beginShutdown()` (for example on SIGTERM) has drained everything
/// ```
///
/// Shutdown order: `/readyz` turns 503 at once; after ``BotApplicationConfiguration/shutdownDelay`` the server
/// stops accepting and finishes in-flight requests; then the update queue is drained, so every update that
/// was answered 200 is processed before ``run()`` returns.
public final class BotApplication: Sendable {
    /// The configuration in force.
    public let configuration: BotApplicationConfiguration
    /// The daemon's readiness, as `/readyz` reports it.
    public let readiness = Readiness()
    /// The HTTP server.
    public let server: HTTPServer
    private let queue: UpdateQueue
    private let logger: Logger
    private let shutdownRequested = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let isShutdownRequested = Atomic<Bool>(false)

    /// Creates the application.
    /// - Parameters:
    ///   - configuration: listener, webhook and lifecycle settings.
    ///   - logger: the application logger (`tgbotd`).
    ///   - handleUpdate: called once per accepted update, in arrival order.
    public init(
        configuration: BotApplicationConfiguration, logger: Logger,
        handleUpdate: @escaping @Sendable (RawUpdate) async -> Void
    ) {
        self.configuration = configuration
        self.logger = logger
        let queue = UpdateQueue(capacity: configuration.maxPendingUpdates, consume: handleUpdate)
        self.queue = queue
        let readiness = self.readiness
        var httpLogger = logger
        httpLogger[metadataKey: "component"] = "http"
        let intake = WebhookIntake(secret: configuration.secretToken, sink: queue, readiness: readiness, logger: logger)
        var router = Router()
        router.on(.post, configuration.webhookPath) { request in await intake.handle(request) }
        // The server is created after the router, so health reads it through a box filled in below.
        let serverBox = Mutex<HTTPServer?>(nil)
        let probe = ResponsivenessProbe()
        HealthEndpoints(readiness: readiness, sink: queue, isResponsive: { probe.check() }).register(on: &router)
        let server = HTTPServer(configuration: configuration.http, router: router, logger: httpLogger)
        probe.server.withLock { $0 = server }
        _ = serverBox
        self.server = server
    }

    /// Binds the listeners and starts accepting updates.
    public func start() throws(SocketError) {
        try server.start()
        readiness.set(.ready)
    }

    /// Processes updates until ``beginShutdown()`` is called, then shuts down gracefully and returns.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.queue.run() }
            await waitForShutdownRequest()
            readiness.set(.draining)
            logger.info("Shutting down", metadata: ["grace": "\(configuration.shutdownGracePeriod)"])
            if configuration.shutdownDelay > .zero {
                try? await Task.sleep(for: configuration.shutdownDelay)
            }
            await server.shutdown(gracePeriod: configuration.shutdownGracePeriod)
            queue.finish()
            await group.waitForAll()
            readiness.set(.stopped)
            logger.info("Stopped")
        }
    }

    /// Asks ``run()`` to shut down. Safe to call from any thread, more than once.
    public func beginShutdown() {
        guard !isShutdownRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        readiness.set(.draining)
        let waiter = shutdownRequested.withLock { waiter -> CheckedContinuation<Void, Never>? in
            defer { waiter = nil }
            return waiter
        }
        waiter?.resume()
    }

    private func waitForShutdownRequest() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyRequested = shutdownRequested.withLock { waiter -> Bool in
                if isShutdownRequested.load(ordering: .acquiring) { return true }
                waiter = continuation
                return false
            }
            if alreadyRequested { continuation.resume() }
        }
    }
}

/// Lets the health endpoint ask the server, which is created after the router that holds the endpoint.
private final class ResponsivenessProbe: Sendable {
    let server = Mutex<HTTPServer?>(nil)
    func check() -> Bool { server.withLock { $0 }?.isResponsive() ?? false }
}
