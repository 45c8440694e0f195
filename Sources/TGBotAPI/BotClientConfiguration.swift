import FoundationEssentials
import Logging

/// Settings of a ``BotClient``; every field has a production default.
public struct BotClientConfiguration: Sendable {
    /// The Bot API server. Calls go to `<baseURL>/bot<token>/<method>`; point it at a self-hosted
    /// `telegram-bot-api` server or a test server (`http://127.0.0.1:<port>`).
    public var baseURL: URL
    /// How long one call may take, from sending the request to the end of the response. Long-polling
    /// `getUpdates` with `timeout: T` needs more than `T` seconds.
    public var requestTimeout: Duration
    /// Where the client logs, at debug level only, with `api.method` metadata. Never receives the token.
    public var logger: Logger
    /// Called once per finished call with its method, outcome and duration: the hook for metrics.
    ///
    /// Runs synchronously on the calling task after the call completes; keep it cheap and non-blocking.
    public var observer: (@Sendable (BotCallObservation) -> Void)?

    /// The public Bot API server, `https://api.telegram.org`.
    public static let telegramBaseURL = URL(string: "https://api.telegram.org")!

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - baseURL: Defaults to ``telegramBaseURL``.
    ///   - requestTimeout: Defaults to 30 seconds.
    ///   - logger: Defaults to a logger labelled `tgbotd.api`.
    ///   - observer: Defaults to none.
    public init(
        baseURL: URL = BotClientConfiguration.telegramBaseURL,
        requestTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "tgbotd.api"),
        observer: (@Sendable (BotCallObservation) -> Void)? = nil
    ) {
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
        self.logger = logger
        self.observer = observer
    }
}

/// One finished Bot API call, as reported to ``BotClientConfiguration/observer``.
public struct BotCallObservation: Sendable, Hashable {
    /// The method name (`sendMessage`): a bounded set, safe as a metric label.
    public var method: String
    /// How the call ended.
    public var outcome: BotCallOutcome
    /// From building the request to decoding the result (or failing).
    public var duration: Duration

    /// Creates an observation.
    public init(method: String, outcome: BotCallOutcome, duration: Duration) {
        self.method = method
        self.outcome = outcome
        self.duration = duration
    }
}

/// How a Bot API call ended; ``label`` is a bounded string for metric labels.
public enum BotCallOutcome: Sendable, Hashable {
    /// Telegram returned a result of the expected type.
    case success
    /// Telegram answered `ok: false` with this `error_code`.
    case apiError(code: Int)
    /// No Bot API answer arrived (or an HTTP error page without an envelope).
    case transportError
    /// The answer could not be decoded.
    case decodingError
    /// The calling task was cancelled.
    case cancelled

    /// `success`, `api_<code>`, `transport`, `decoding` or `cancelled`.
    public var label: String {
        switch self {
        case .success: "success"
        case .apiError(let code): "api_\(code)"
        case .transportError: "transport"
        case .decodingError: "decoding"
        case .cancelled: "cancelled"
        }
    }
}
