import Logging
import Synchronization
import TGBotAPI
import TGBotDispatch
import TGBotHTTP
import TGBotStore
import TGBotTypes

/// Wires the pieces of a webhook bot together: HTTP server, webhook intake, health endpoints, the update
/// pipeline (admission, decoding, per-key ordering, worker pool) and the dispatcher, with a graceful lifecycle.
///
/// ```swift
/// var dispatcher = Dispatcher(botUsername: "my_bot")
/// dispatcher.command("start") { context in try await context.reply("Hello!") }
/// let bot = BotClient(token: token)
/// let app = BotApplication(configuration: .init(), dispatcher: dispatcher, caller: bot, logger: logger)
/// try app.start()
/// await app.run()          // returns after `beginShutdown()` (for example on SIGTERM) has drained everything
/// ```
///
/// Shutdown order: `/readyz` turns 503 at once; after ``BotApplicationConfiguration/shutdownDelay`` the server
/// stops accepting and finishes in-flight requests; then in-flight updates get the rest of the grace period to
/// finish, and the ids of those that could not are logged.
public final class BotApplication: Sendable {
    /// The configuration in force.
    public let configuration: BotApplicationConfiguration
    /// The daemon's readiness, as `/readyz` reports it.
    public let readiness = Readiness()
    /// The HTTP server.
    public let server: HTTPServer
    /// The stages between intake and the handlers.
    public let pipeline: UpdatePipeline
    /// Tells systemd when the daemon is ready, alive and stopping (a no-op outside a `Type=notify` service).
    public let systemd: SystemdNotifier
    /// The series `GET /metrics` exposes.
    public let metrics: BotMetrics
    private let logger: Logger
    private let shutdownRequested = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let isShutdownRequested = Atomic<Bool>(false)

    /// Creates the application around a dispatcher.
    /// - Parameters:
    ///   - configuration: listener, webhook, pool and lifecycle settings.
    ///   - dispatcher: the bot's handlers.
    ///   - caller: the Bot API client handlers use (``BotClient``, or a test double).
    ///   - logger: the application logger (`tgbotd`).
    ///   - systemd: the `sd_notify` channel (``SystemdNotifier/init(environment:pid:logger:)`` in a daemon).
    ///   - metrics: the series to count into; give the same object's ``BotMetrics/apiCallObserver`` to the
    ///     ``BotClient`` so its calls are counted too.
    public convenience init(
        configuration: BotApplicationConfiguration, dispatcher: Dispatcher, caller: any BotAPICaller, logger: Logger,
        systemd: SystemdNotifier = .disabled, metrics: BotMetrics = BotMetrics()
    ) {
        let pool = Self.makePool(configuration: configuration, logger: logger)
        self.init(
            configuration: configuration, pool: pool, caller: caller, logger: logger, systemd: systemd, metrics: metrics
        ) { update, caller in
            let outcome = await dispatcher.handle(update, bot: caller, spawn: { work in pool.execute { await work() } })
            metrics.record(outcome)
            // The store failed (disk full, locked, I/O error), not the bot: run the update again later rather than
            // mark it done with its effects missing.
            if let failure = outcome.error, let error = failure.underlying as? StateError, error.isUnavailable {
                throw RetryUpdateLater(reason: "\(failure)")
            }
        }
    }

    /// Creates the application around any per-update function (tests, custom runtimes).
    /// - Parameters:
    ///   - pool: the worker pool; nil makes one from `configuration`.
    ///   - systemd: the `sd_notify` channel: `READY=1` after ``start()``, `WATCHDOG=1` during ``run()`` while the
    ///     I/O loops are responsive, `STOPPING=1` from ``beginShutdown()``.
    ///   - metrics: the series to count into (handler outcomes are counted only by the dispatcher init).
    ///   - process: called once per accepted update, on the pool, one at a time per ordering key.
    public init(
        configuration: BotApplicationConfiguration, pool: WorkerPool? = nil, caller: any BotAPICaller,
        logger: Logger, systemd: SystemdNotifier = .disabled, metrics: BotMetrics = BotMetrics(),
        process: @escaping UpdatePipeline.Process
    ) {
        self.configuration = configuration
        self.systemd = systemd
        self.logger = logger
        self.metrics = metrics
        var dispatchLogger = logger
        dispatchLogger[metadataKey: "component"] = "dispatch"
        var journal: DurableIntake?
        if case .durable(let durable) = configuration.durability {
            var journalLogger = logger
            journalLogger[metadataKey: "component"] = "journal"
            journal = DurableIntake(configuration: durable, logger: journalLogger, metrics: metrics)
        }
        let pipeline = UpdatePipeline(
            pool: pool ?? Self.makePool(configuration: configuration, logger: logger),
            maxInFlight: configuration.maxInFlight, ordering: configuration.ordering, caller: caller,
            webhookReplyTimeout: configuration.webhookReplyTimeout, admissionWait: configuration.admissionWait,
            logger: dispatchLogger, metrics: metrics, journal: journal, process: process)
        self.pipeline = pipeline
        let readiness = self.readiness
        var httpLogger = logger
        httpLogger[metadataKey: "component"] = "http"
        let intake = WebhookIntake(
            secret: configuration.secretToken, sink: pipeline, readiness: readiness, logger: logger, metrics: metrics)
        var router = Router()
        router.on(.post, configuration.webhookPath) { request in await intake.handle(request) }
        // The server is created after the router, so health reads it through a probe filled in below.
        let probe = ResponsivenessProbe()
        HealthEndpoints(readiness: readiness, sink: pipeline, isResponsive: { probe.check() }).register(on: &router)
        MetricsEndpoint(registry: metrics.registry).register(on: &router)
        var http = configuration.http
        let iterationEnd = http.onIterationEnd
        // The I/O threads submit updates in batches (one per loop iteration): wake the pool once per batch.
        http.onIterationEnd = {
            WorkerPool.endBatchOnCurrentThread()
            iterationEnd?()
        }
        let server = HTTPServer(configuration: http, router: router, logger: httpLogger)
        probe.server.withLock { $0 = server }
        self.server = server
        metrics.attach(pipeline: pipeline, server: server)
    }

    private static func makePool(configuration: BotApplicationConfiguration, logger: Logger) -> WorkerPool {
        var poolLogger = logger
        poolLogger[metadataKey: "component"] = "pool"
        return WorkerPool(
            configuration: WorkerPoolConfiguration(
                workerCount: configuration.workers, blockedThreshold: configuration.blockedThreshold),
            logger: poolLogger)
    }

    /// With a durable configuration: opens the journal and queues the updates a previous run accepted but did
    /// not finish, ahead of any new one. Call it before ``start()``; without a journal it does nothing.
    ///
    /// - Throws: a permanent ``StoreError`` (a corrupt journal, or one that is not ours), which an operator must
    ///   resolve. Other storage faults do not throw: the application starts with intake answering 503 and
    ///   `/readyz` failing, and recovers by itself once the journal can commit.
    public func recover() async throws(StoreError) {
        guard let journal = pipeline.journal else { return }
        let pipeline = self.pipeline
        try await journal.start { updates in pipeline.replay(updates) }
    }

    /// Binds the listeners and starts accepting updates.
    public func start() throws(SocketError) {
        try server.start()
        readiness.set(.ready)
        systemd.notify(.ready, .status("Accepting updates on \(server.localAddresses.joined(separator: ", "))"))
    }

    /// Waits until ``beginShutdown()`` is called (pinging the systemd watchdog meanwhile, if there is one), then
    /// shuts down gracefully and returns.
    public func run() async {
        await withDiscardingTaskGroup { group in
            let server = self.server
            group.addTask { await self.systemd.runWatchdog { server.isResponsive() } }
            await waitForShutdownRequest()
            group.cancelAll()
        }
        readiness.set(.draining)
        logger.info("Shutting down", metadata: ["grace": "\(configuration.shutdownGracePeriod)"])
        let start = ContinuousClock.now
        if configuration.shutdownDelay > .zero {
            try? await Task.sleep(for: configuration.shutdownDelay)
        }
        await server.shutdown(gracePeriod: configuration.shutdownGracePeriod)
        let remaining = max(.zero, configuration.shutdownGracePeriod - (ContinuousClock.now - start))
        _ = await pipeline.shutdown(gracePeriod: remaining)
        // After the drain, so the completion marks of every finished update are committed before exit.
        await pipeline.journal?.close()
        pipeline.pool.shutdown()
        readiness.set(.stopped)
        logger.info("Stopped", metadata: ["updates.processed": "\(pipeline.processed)"])
    }

    /// Asks ``run()`` to shut down. Safe to call from any thread, more than once.
    public func beginShutdown() {
        guard !isShutdownRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        readiness.set(.draining)
        systemd.notify(.stopping, .status("Shutting down"))
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

/// Thrown by an ``UpdatePipeline/Process`` when an update could not finish for a reason that may clear (the
/// state store is unavailable): the pipeline runs it again after a pause instead of marking it done.
public struct RetryUpdateLater: Error, CustomStringConvertible {
    /// Why.
    public var reason: String

    /// Creates the error.
    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "retry later: \(reason)" }
}

/// Lets the health endpoint ask the server, which is created after the router that holds the endpoint.
private final class ResponsivenessProbe: Sendable {
    let server = Mutex<HTTPServer?>(nil)
    func check() -> Bool { server.withLock { $0 }?.isResponsive() ?? false }
}
