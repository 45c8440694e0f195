import FoundationEssentials
import TGBotDispatch
import TGBotHTTP
import TGBotTypes

/// Everything `tgbotd serve` configures, with the embedded defaults the quick start relies on.
public struct BotApplicationConfiguration: Sendable {
    /// The HTTP listener and its limits and timeouts.
    public var http: HTTPServerConfiguration
    /// The path Telegram POSTs updates to. Default `/telegram`.
    public var webhookPath: String
    /// The expected `X-Telegram-Bot-Api-Secret-Token`; nil accepts any request (local demo only).
    public var secretToken: Secret?
    /// The bot token (not needed by the demo bot).
    public var botToken: Secret?
    /// The bound on updates accepted and not yet handled (`--max-in-flight`); when reached, intake answers 503.
    public var maxInFlight: Int
    /// At the in-flight bound, how long a webhook request waits for a slot before it is refused with 503.
    /// Waiting turns the webhook connections into flow control instead of a storm of retries.
    public var admissionWait: Duration
    /// Worker threads handlers run on (`--workers`); default one per core.
    public var workers: Int
    /// How updates are ordered: one at a time per key, keys concurrently. Default by chat.
    public var ordering: OrderingPolicy
    /// When set (`--webhook-reply`), intake waits up to this long for a handler's first reply and returns it
    /// as the webhook response body; nil answers at once.
    public var webhookReplyTimeout: Duration?
    /// A handler holding its worker thread longer than this is reported (log + counter).
    public var blockedThreshold: Duration
    /// How long shutdown waits for in-flight requests and queued updates.
    public var shutdownGracePeriod: Duration
    /// How long `/readyz` reports draining before the listener closes, so a proxy or load balancer notices.
    public var shutdownDelay: Duration
    /// Whether accepted updates are journaled on disk before their 200 (`--durability`). Default: memory, so
    /// embedding the library writes no files unless asked; `tgbotd serve` defaults to durable.
    public var durability: Durability

    /// Where accepted updates live until they are handled.
    public enum Durability: Sendable {
        /// Only in memory: a crash loses updates accepted and not yet handled (tests, demos).
        case memory
        /// In a journal on disk, fsynced before the 200, replayed after a crash.
        case durable(DurableIntake.Configuration)
    }

    /// Creates a configuration with the defaults listed on each property.
    public init(
        http: HTTPServerConfiguration = HTTPServerConfiguration(),
        webhookPath: String = "/telegram",
        secretToken: Secret? = nil,
        botToken: Secret? = nil,
        maxInFlight: Int = 1024,
        admissionWait: Duration = .milliseconds(500),
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        ordering: OrderingPolicy = .chat,
        webhookReplyTimeout: Duration? = nil,
        blockedThreshold: Duration = .seconds(1),
        shutdownGracePeriod: Duration = .seconds(10),
        shutdownDelay: Duration = .zero,
        durability: Durability = .memory
    ) {
        self.durability = durability
        self.http = http
        self.webhookPath = webhookPath
        self.secretToken = secretToken
        self.botToken = botToken
        self.maxInFlight = maxInFlight
        self.admissionWait = admissionWait
        self.workers = max(1, workers)
        self.ordering = ordering
        self.webhookReplyTimeout = webhookReplyTimeout
        self.blockedThreshold = blockedThreshold
        self.shutdownGracePeriod = shutdownGracePeriod
        self.shutdownDelay = shutdownDelay
    }
}
