import Logging
import Synchronization
import TGBotAPI
import TGBotDispatch
import TGBotTypes

/// The stages between webhook intake and the bot's handlers: admission, decoding, per-key ordering, the
/// worker pool — and, when enabled, the rendezvous that returns a handler's first reply in the webhook response.
///
/// ```
/// intake ──submit──▶ InFlightLimiter ──▶ [journal] ──▶ decode ──▶ KeyedScheduler (key per OrderingPolicy) ──▶ process
///   200 / 503          (bound, 503)     (fsync, dedup)  (caller)   (one per key, update_id order, on the pool)
/// ```
///
/// - Admission: at most `maxInFlight` updates are accepted and not yet finished; beyond that ``submit(_:)``
///   answers `.overloaded`, intake answers `503 Retry-After`, and `/readyz` reports overloaded.
/// - Decoding runs on the submitting thread (an I/O thread for webhook requests), which has just validated the
///   body and has it in cache: a hand-off to the pool would cost more than decoding a typical update. Bodies
///   are bounded by the server's body limit, and intake's validation already scans every byte on that thread.
///   Each key's updates then run in `update_id` order on the pool.
/// - Every admitted update is processed exactly once while the process runs; ``shutdown(gracePeriod:)`` stops
///   admission and waits for the in-flight ones, returning the ids that did not finish.
public final class UpdatePipeline: UpdateSink {
    /// Processes one decoded update with the Bot API caller meant for it (possibly a webhook-reply wrapper).
    /// Throwing ``RetryUpdateLater`` runs it again after a pause (see ``UpdatePipeline``); any other error is
    /// treated like it.
    public typealias Process = @Sendable (Update, any BotAPICaller) async throws -> Void

    private struct Item: Sendable {
        var raw: RawUpdate
        var slot: WebhookReplySlot?
        /// Replayed from the journal at start (handled before, possibly in part).
        var isReplay = false
    }

    /// The worker pool handlers run on.
    public let pool: WorkerPool
    /// Admission control (the in-flight bound).
    public let limiter: InFlightLimiter
    private let scheduler: KeyedScheduler
    private let ordering: OrderingPolicy
    private let caller: any BotAPICaller
    private let webhookReplyTimeout: Duration?
    private let admissionWait: Duration
    private let admission = AdmissionQueue()
    private let process: Process
    private let logger: Logger
    private let metrics: BotMetrics?
    /// The durable journal, or nil in memory mode.
    public let journal: DurableIntake?
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
    ///   - admissionWait: at the in-flight bound, how long a webhook request may wait for a slot before it is
    ///     refused with 503 (zero refuses at once).
    ///   - logger: `tgbotd.dispatch`.
    ///   - metrics: where accepted updates are counted by kind, if anywhere.
    ///   - journal: when set, every admitted update is journaled (fsynced) before it is acknowledged,
    ///     redeliveries are answered ``SubmitResult/duplicate``, and finished updates are marked completed.
    ///   - process: the per-update work, normally the dispatcher. It runs with ``UpdateEffectScope/current``
    ///     bound to the update, so a durable store records its transactions exactly once.
    public init(
        pool: WorkerPool, maxInFlight: Int = 1024, ordering: OrderingPolicy = .chat, caller: any BotAPICaller,
        webhookReplyTimeout: Duration? = nil, admissionWait: Duration = .zero, logger: Logger,
        metrics: BotMetrics? = nil, journal: DurableIntake? = nil, process: @escaping Process
    ) {
        self.journal = journal
        self.pool = pool
        self.limiter = InFlightLimiter(capacity: maxInFlight)
        self.scheduler = KeyedScheduler(pool: pool)
        self.ordering = ordering
        self.caller = caller
        self.webhookReplyTimeout = webhookReplyTimeout
        self.admissionWait = admissionWait
        self.logger = logger
        self.metrics = metrics
        self.process = process
    }

    /// Updates processed to the end since start.
    public var processed: UInt64 { processedCount.load(ordering: .relaxed) }

    /// Updates admitted and not finished.
    public var inFlight: Int { limiter.count }

    /// Webhook requests waiting for an in-flight slot.
    public var waitingForAdmission: Int { admission.count }

    /// The ordering lanes' load.
    public var schedulerStats: KeyedSchedulerStats { scheduler.stats }

    public var isOverloaded: Bool { limiter.isSaturated }

    public var unavailableReason: String? { journal?.faultReason }

    public func submit(_ update: RawUpdate) async -> SubmitResult {
        guard await admit(update.updateID) else { return .overloaded(retryAfterSeconds: 1) }
        if let journal {
            switch await journal.append(update) {
            case .appended:
                break
            case .duplicate:
                release(update.updateID)
                metrics?.recordDuplicate()
                return .duplicate
            case .unavailable(let reason):
                release(update.updateID)
                return .unavailable(reason: reason)
            }
        }
        let slot = webhookReplyTimeout == nil ? nil : WebhookReplySlot()
        schedule(Item(raw: update, slot: slot), decode(update))
        if let slot, let timeout = webhookReplyTimeout, let body = await slot.wait(timeout: timeout) {
            return .acceptedWithReply(json: body)
        }
        return .accepted
    }

    /// Queues updates the journal kept from a previous run, in the order given (ascending update_id), ahead of
    /// any new update: the caller replays before intake accepts anything. They take in-flight slots beyond the
    /// bound if they must (they were acknowledged long ago) and are not journaled again.
    ///
    /// - Returns: how many were queued (fewer only when the pipeline is shutting down).
    @discardableResult
    public func replay(_ updates: [RawUpdate]) -> Int {
        var admitted = 0
        for update in updates where limiter.forceAcquire(id: update.updateID) {
            schedule(Item(raw: update, slot: nil, isReplay: true), decode(update))
            admitted += 1
        }
        return admitted
    }

    /// Claims an in-flight slot, waiting up to `admissionWait` for one to free up.
    private func admit(_ id: Int64) async -> Bool {
        if limiter.tryAcquire(id: id) { return true }
        guard admissionWait > .zero else { return false }
        let deadline = ContinuousClock.now + admissionWait
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero, await admission.wait(timeout: left, isStillFull: { limiter.isSaturated }) else {
                return limiter.tryAcquire(id: id)
            }
            if limiter.tryAcquire(id: id) { return true }
        }
    }

    /// Frees the slot of a finished update and hands it to the longest-waiting request.
    private func release(_ id: Int64) {
        limiter.release(id: id)
        admission.signal()
    }

    /// Decodes an accepted update; nil (logged) only for a body intake could not have validated.
    private func decode(_ raw: RawUpdate) -> Update? {
        do {
            let update = try Update(raw: raw)
            metrics?.recordAccepted(update)
            return update
        } catch {
            // Unreachable for bodies intake validated; never silently: log, and free the slot at once.
            logger.error(
                "Accepted update could not be decoded",
                metadata: ["update.id": "\(raw.updateID)", "error": "\(error)"])
            metrics?.recordAccepted(nil)
            return nil
        }
    }

    private func schedule(_ item: Item, _ update: Update?) {
        guard let update else {
            item.slot?.close()
            journal?.complete(item.raw.updateID)
            release(item.raw.updateID)
            return
        }
        let key = ordering.key(for: update)
        let caller =
            item.slot.map { WebhookReplyCaller(base: self.caller, slot: $0) as any BotAPICaller } ?? self.caller
        scheduler.submit(key: key, sequence: update.updateID) { [self] in
            guard await run(update, caller: caller, isReplay: item.isReplay) else {
                // Shutting down while the update still could not finish: it stays journaled (not completed) and
                // is replayed at the next start.
                item.slot?.close()
                release(update.updateID)
                return
            }
            item.slot?.close()
            // Marked without holding the lane: the next update of this key need not wait for the fsync. A crash
            // before the mark commits replays the update; the store's effect log keeps its writes exactly once.
            journal?.complete(update.updateID)
            processedCount.add(1, ordering: .relaxed)
            release(update.updateID)
        }
    }

    /// Runs `process` for `update`, again after a pause each time it throws (a storage fault: the state store is
    /// unavailable), holding the update's lane so its key stays in order. Pauses grow from 1 s to 30 s.
    ///
    /// - Returns: false when it gave up because the pipeline is shutting down.
    private func run(_ update: Update, caller: any BotAPICaller, isReplay: Bool) async -> Bool {
        var pause = Duration.seconds(1)
        var replay = isReplay
        while true {
            do {
                try await UpdateEffectScope.withScope(updateID: update.updateID, replay: replay) {
                    try await process(update, caller)
                }
                return true
            } catch {
                guard !limiter.isClosed else {
                    logger.error(
                        "Update not finished at shutdown; it will be replayed at the next start",
                        metadata: ["update.id": "\(update.updateID)", "error": "\(error)"])
                    return false
                }
                logger.warning(
                    "Update could not finish; running it again later",
                    metadata: ["update.id": "\(update.updateID)", "error": "\(error)", "retry_in": "\(pause)"])
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
                // Effects of the first attempt may be recorded: the next attempt is a replay for the store.
                replay = true
            }
        }
    }

    /// Stops admitting updates and waits up to `gracePeriod` for those in flight.
    ///
    /// - Returns: the ids of updates that did not finish in time (ascending); they are also logged.
    public func shutdown(gracePeriod: Duration) async -> [Int64] {
        limiter.close()
        admission.signalAll()
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
