import Synchronization
import TGBotAPI
import TGBotDispatch
import TGBotHTTP
import TGBotTypes

/// The daemon's series (`tgbotd_*`), as `GET /metrics` exposes them.
///
/// Events (intake results, dispatch outcomes, Bot API calls) are counted as they happen; levels (in flight, queue
/// depths, pool load, open connections) are read from their owners at scrape time. Every label is bounded: update
/// kinds to the spec's payload names, methods to the spec's method names, handlers to the first
/// ``maxHandlerLabels`` names seen (handler names are fixed at registration), anything else `other`. Nothing
/// per chat or per user, and never the token or the secret.
public final class BotMetrics: Sendable {
    /// Why intake refused an update (the `reason` label of `tgbotd_updates_rejected_total`).
    public enum Rejection: String, Sendable, CaseIterable {
        /// The secret token header was missing or wrong (401).
        case unauthorized
        /// The body was not an update (400).
        case badRequest = "bad_request"
        /// The in-flight bound was reached (503).
        case overloaded
        /// Not ready (starting, draining) or the sink failed (503).
        case unavailable
    }

    /// The most distinct handler names recorded as given; later ones are `other`.
    public static let maxHandlerLabels = 200
    /// The `kind` label of an accepted update whose payload is not one this version knows.
    public static let unknownKind = "unknown"

    /// Where the series are registered; render it to scrape.
    public let registry: MetricsRegistry
    private let received: Counter
    private let accepted: Counter
    private let rejected: Counter
    private let handled: Counter
    private let handlerDuration: Histogram
    private let apiCalls: Counter
    private let apiCallDuration: Histogram
    private let duplicates: Counter
    private let replayed: Counter
    private let journalFaults: Counter
    private let journalCommitDuration: Histogram
    private let journalCommitSize: Histogram
    private let isAttached = Atomic<Bool>(false)

    /// Creates the series on a new registry, with the `process_*` series when `includeProcessMetrics`.
    public init(includeProcessMetrics: Bool = true) {
        let registry = MetricsRegistry()
        self.registry = registry
        received = registry.counter(
            "tgbotd_updates_received_total", help: "Webhook requests received on the webhook path.")
        accepted = registry.counter(
            "tgbotd_updates_accepted_total", help: "Updates accepted for processing, by update kind.",
            labels: [.oneOf("kind", Update.Kind.knownNames + [Self.unknownKind])])
        rejected = registry.counter(
            "tgbotd_updates_rejected_total", help: "Webhook requests refused, by reason.",
            labels: [.oneOf("reason", Rejection.allCases.map(\.rawValue))])
        handled = registry.counter(
            "tgbotd_updates_handled_total", help: "Updates the dispatcher finished, by status.",
            labels: [.oneOf("status", ["handled", "unhandled", "failed"])])
        handlerDuration = registry.histogram(
            "tgbotd_handler_duration_seconds", help: "Time spent in each handler's body.",
            buckets: Histogram.handlerBuckets, labels: [.firstSeen("handler", limit: Self.maxHandlerLabels)])
        apiCalls = registry.counter(
            "tgbotd_bot_api_calls_total", help: "Outbound Bot API calls, by method and result.",
            labels: [.oneOf("method", BotAPISpec.methodNames), .firstSeen("result", limit: 32)])
        apiCallDuration = registry.histogram(
            "tgbotd_bot_api_call_duration_seconds", help: "Duration of outbound Bot API calls.",
            buckets: Histogram.networkBuckets, labels: [.oneOf("method", BotAPISpec.methodNames)])
        duplicates = registry.counter(
            "tgbotd_updates_duplicate_total",
            help: "Redelivered updates recognised by the journal and acknowledged without handling them again.")
        replayed = registry.counter(
            "tgbotd_updates_replayed_total",
            help: "Journaled updates a previous run left unfinished, replayed at start.")
        journalFaults = registry.counter(
            "tgbotd_journal_faults_total", help: "Times the journal stopped committing (intake answered 503 meanwhile)."
        )
        journalCommitDuration = registry.histogram(
            "tgbotd_journal_commit_seconds", help: "Duration of one journal group commit, fsync included.",
            buckets: Histogram.storageBuckets)
        journalCommitSize = registry.histogram(
            "tgbotd_journal_commit_writes", help: "Appends and completion marks carried by one group commit.",
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
        for reason in Rejection.allCases { rejected.increment(reason.rawValue, by: 0) }
        for status in ["handled", "unhandled", "failed"] { handled.increment(status, by: 0) }
        if includeProcessMetrics { ProcessMetrics.register(on: registry) }
    }

    /// Counts a webhook request on the webhook path, before any check.
    public func recordReceived() { received.increment() }

    /// Counts a refused webhook request.
    public func recordRejected(_ reason: Rejection) { rejected.increment(reason.rawValue) }

    /// Counts an update accepted for processing, by its kind (`message`; `unknown` for kinds newer than this
    /// version, or a body that did not decode at all). The pipeline calls it when the update is decoded, just
    /// before scheduling, since the kind is known only then: moments after intake answered 200.
    public func recordAccepted(_ update: Update?) {
        var kind = Self.unknownKind
        if let update {
            switch update.kind {
            case .unknown: break
            default: kind = update.kind.name
            }
        }
        accepted.increment(kind)
    }

    /// Counts what the dispatcher did with an update, and how long each handler ran.
    public func record(_ outcome: UpdateOutcome) {
        let status: String =
            switch outcome.status {
            case .handled: "handled"
            case .unhandled: "unhandled"
            case .failed: "failed"
            }
        handled.increment(status)
        for run in outcome.runs { handlerDuration.observe(run.duration, run.name) }
    }

    /// Counts a redelivery the journal recognised.
    public func recordDuplicate() { duplicates.increment() }

    /// Counts updates replayed from the journal at start.
    public func recordReplayed(_ count: Int) { replayed.increment(by: UInt64(count)) }

    /// Counts the journal entering the faulted state.
    public func recordJournalFault() { journalFaults.increment() }

    /// Records one journal group commit: its duration (fsync included) and how many writes it carried.
    public func recordJournalCommit(duration: Duration, writes: Int) {
        journalCommitDuration.observe(duration)
        journalCommitSize.observe(Double(writes))
    }

    /// Counts a finished Bot API call; pass ``apiCallObserver`` as ``BotClientConfiguration/observer``.
    public func record(_ call: BotCallObservation) {
        apiCalls.increment(call.method, call.outcome.label)
        apiCallDuration.observe(call.duration, call.method)
    }

    /// The observer to give a ``BotClient`` so its calls are counted.
    public var apiCallObserver: @Sendable (BotCallObservation) -> Void { { [self] call in record(call) } }

    /// Registers the level series read at scrape: in flight, queue depth per stage, pool load, open connections.
    ///
    /// ``BotApplication`` calls it; only the first call registers (one application per metrics object).
    func attach(pipeline: UpdatePipeline, server: HTTPServer) {
        guard !isAttached.exchange(true, ordering: .acquiringAndReleasing) else { return }
        registry.gauge("tgbotd_updates_in_flight", help: "Updates admitted and not yet finished.") {
            Double(pipeline.inFlight)
        }
        registry.gauge(
            "tgbotd_queue_depth", help: "Items waiting in each pipeline stage.", labelNames: ["stage"]
        ) {
            [
                GaugeSample(labels: ["admission_wait"], value: Double(pipeline.waitingForAdmission)),
                GaugeSample(labels: ["lanes"], value: Double(pipeline.schedulerStats.pendingJobs)),
            ]
        }
        let pool = pipeline.pool
        registry.gauge("tgbotd_pool_workers", help: "Worker threads in the handler pool.") {
            Double(pool.stats.threadCount)
        }
        registry.gauge("tgbotd_pool_busy_workers", help: "Workers running a job.") { Double(pool.stats.busyWorkers) }
        registry.gauge("tgbotd_pool_queued_jobs", help: "Jobs waiting for a free worker.") {
            Double(pool.stats.queuedJobs)
        }
        registry.gauge(
            "tgbotd_pool_blocked_reports_total", help: "Jobs reported for holding a worker thread too long.",
            type: .counter
        ) { Double(pool.blockedReports) }
        registry.gauge("tgbotd_http_connections_open", help: "Open HTTP connections.") {
            Double(server.openConnectionCount)
        }
    }
}
