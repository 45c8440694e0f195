import Logging
import Synchronization
import TGBotAPI
import TGBotDispatch
import TGBotTypes

/// The stages between webhook intake and the bot's handlers: admission, decoding, per-key ordering, the
/// worker pool — and, when enabled, the rendezvous that returns a handler's first reply in the webhook response.
///
/// ```
/// intake ──submit──▶ InFlightLimiter ──▶ decode stage ──▶ KeyedScheduler (key per OrderingPolicy) ──▶ process
///   200 / 503          (bound, 503)      (serial, FIFO)     (one per key, update_id order, on the pool)
/// ```
///
/// - Admission: at most `maxInFlight` updates are accepted and not yet finished; beyond that ``submit(_:)``
///   answers `.overloaded`, intake answers `503 Retry-After`, and `/readyz` reports overloaded.
/// - Decoding runs on the pool, off the I/O threads, one update at a time in arrival order (a drainer task is
///   started only when the stage goes from empty to busy, so a burst costs one wakeup, not one per update).
///   Serial decoding is what lets the scheduler see each key's updates in arrival order.
/// - Every admitted update is processed exactly once while the process runs; ``shutdown(gracePeriod:)`` stops
///   admission and waits for the in-flight ones, returning the ids that did not finish.
public final class UpdatePipeline: UpdateSink {
    /// Processes one decoded update with the Bot API caller meant for it (possibly a webhook-reply wrapper).
    public typealias Process = @Sendable (Update, any BotAPICaller) async -> Void

    private struct Item: Sendable {
        var raw: RawUpdate
        var slot: WebhookReplySlot?
    }

    private struct DecodeStage {
        var items: [Item] = []
        var head = 0
        var isDraining = false

        mutating func pop() -> Item? {
            guard head < items.count else {
                items.removeAll(keepingCapacity: true)
                head = 0
                isDraining = false
                return nil
            }
            defer {
                head += 1
                if head > 1024 && head * 2 > items.count {
                    items.removeFirst(head)
                    head = 0
                }
            }
            return items[head]
        }
    }

    /// The worker pool handlers run on.
    public let pool: WorkerPool
    /// Admission control (the in-flight bound).
    public let limiter: InFlightLimiter
    private let scheduler: KeyedScheduler
    private let ordering: OrderingPolicy
    private let caller: any BotAPICaller
    private let webhookReplyTimeout: Duration?
    private let process: Process
    private let logger: Logger
    private let stage = Mutex(DecodeStage())
    private let processedCount = Atomic<UInt64>(0)

    /// Creates the pipeline.
    ///
    /// - Parameters:
    ///   - pool: where decoding and handlers run.
    ///   - maxInFlight: the bound on admitted, unfinished updates (default 1024).
    ///   - ordering: how updates map to ordering keys (default: by chat, then user, then global).
    ///   - caller: the Bot API caller handlers use.
    ///   - webhookReplyTimeout: when set, intake waits up to this long for a handler's first reply and sends
    ///     it as the webhook response body; nil answers at once.
    ///   - logger: `tgbotd.dispatch`.
    ///   - process: the per-update work, normally the dispatcher.
    public init(
        pool: WorkerPool, maxInFlight: Int = 1024, ordering: OrderingPolicy = .chat, caller: any BotAPICaller,
        webhookReplyTimeout: Duration? = nil, logger: Logger, process: @escaping Process
    ) {
        self.pool = pool
        self.limiter = InFlightLimiter(capacity: maxInFlight)
        self.scheduler = KeyedScheduler(pool: pool)
        self.ordering = ordering
        self.caller = caller
        self.webhookReplyTimeout = webhookReplyTimeout
        self.logger = logger
        self.process = process
    }

    /// Updates processed to the end since start.
    public var processed: UInt64 { processedCount.load(ordering: .relaxed) }

    /// Updates admitted and not finished.
    public var inFlight: Int { limiter.count }

    /// Updates accepted and waiting to be decoded.
    public var decodeBacklog: Int { stage.withLock { $0.items.count - $0.head } }

    /// The ordering lanes' load.
    public var schedulerStats: KeyedSchedulerStats { scheduler.stats }

    public var isOverloaded: Bool { limiter.isSaturated }

    public func submit(_ update: RawUpdate) async -> SubmitResult {
        guard limiter.tryAcquire(id: update.updateID) else { return .overloaded(retryAfterSeconds: 1) }
        let slot = webhookReplyTimeout == nil ? nil : WebhookReplySlot()
        let startDrainer = stage.withLock { stage -> Bool in
            stage.items.append(Item(raw: update, slot: slot))
            if stage.isDraining { return false }
            stage.isDraining = true
            return true
        }
        // Documented thread → async bridge: the drainer is owned by the pipeline and ends when the stage is empty.
        if startDrainer { pool.execute { [self] in drain() } }
        if let slot, let timeout = webhookReplyTimeout, let body = await slot.wait(timeout: timeout) {
            return .acceptedWithReply(json: body)
        }
        return .accepted
    }

    private func drain() {
        while let item = stage.withLock({ $0.pop() }) {
            let update: Update
            do {
                update = try Update(raw: item.raw)
            } catch {
                // Unreachable for bodies intake validated; never silently: log and free the slot.
                logger.error(
                    "Accepted update could not be decoded",
                    metadata: ["update.id": "\(item.raw.updateID)", "error": "\(error)"])
                item.slot?.close()
                limiter.release(id: item.raw.updateID)
                continue
            }
            let key = ordering.key(for: update)
            let caller =
                item.slot.map { WebhookReplyCaller(base: self.caller, slot: $0) as any BotAPICaller } ?? self.caller
            scheduler.submit(key: key, sequence: update.updateID) { [self] in
                await process(update, caller)
                item.slot?.close()
                processedCount.add(1, ordering: .relaxed)
                limiter.release(id: update.updateID)
            }
        }
    }

    /// Stops admitting updates and waits up to `gracePeriod` for those in flight.
    ///
    /// - Returns: the ids of updates that did not finish in time (ascending); they are also logged.
    public func shutdown(gracePeriod: Duration) async -> [Int64] {
        limiter.close()
        let unfinished = await limiter.waitUntilIdle(timeout: gracePeriod)
        if !unfinished.isEmpty {
            logger.error(
                "Updates did not finish before the shutdown deadline",
                metadata: [
                    "update.ids": "\(unfinished.prefix(100).map(String.init).joined(separator: ","))",
                    "count": "\(unfinished.count)",
                ])
        }
        return unfinished
    }
}
