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
    /// The bound on accepted updates waiting for processing; when reached, intake answers 503.
    public var maxPendingUpdates: Int
    /// How long shutdown waits for in-flight requests and queued updates.
    public var shutdownGracePeriod: Duration
    /// How long `/readyz` reports draining before the listener closes, so a proxy or load balancer notices.
    public var shutdownDelay: Duration

    /// Creates a configuration with the defaults listed on each property.
    public init(
        http: HTTPServerConfiguration = HTTPServerConfiguration(),
        webhookPath: String = "/telegram",
        secretToken: Secret? = nil,
        botToken: Secret? = nil,
        maxPendingUpdates: Int = 1024,
        shutdownGracePeriod: Duration = .seconds(10),
        shutdownDelay: Duration = .zero
    ) {
        self.http = http
        self.webhookPath = webhookPath
        self.secretToken = secretToken
        self.botToken = botToken
        self.maxPendingUpdates = maxPendingUpdates
        self.shutdownGracePeriod = shutdownGracePeriod
        self.shutdownDelay = shutdownDelay
    }
}
