import FoundationEssentials
import TGBotTypes

/// What ``Doctor`` checks and against which expectations; `tgbotd doctor` fills it from flags, environment and
/// credential files.
public struct DoctorConfiguration: Sendable {
    /// The bot token, or nil when none was found (a FAIL: nothing else about the Bot API can be checked).
    public var token: Secret?
    /// Where the token came from, shown instead of the token.
    public var tokenSource: String?
    /// The Bot API server.
    public var apiBaseURL: URL
    /// The webhook URL the operator expects to be registered (`--expect-url`); a different one is a FAIL.
    public var expectedWebhookURL: String?
    /// The update kinds the bot handles (``TGBotDispatch/Dispatcher/handledKinds``); the webhook's
    /// `allowed_updates` missing one of them is a WARN.
    public var handledKinds: [String]?
    /// How many `getMe` calls to time.
    public var roundTrips: Int
    /// The directory the daemon keeps state in; must be writable.
    public var dataDirectory: String
    /// The address the daemon will listen on; checked by binding it. Nil skips the check (socket activation).
    public var listenHost: String?
    /// The port the daemon will listen on.
    public var listenPort: Int
    /// The webhook secret, or nil when none is configured (a FAIL).
    public var webhookSecret: Secret?
    /// Where the secret came from.
    public var webhookSecretSource: String?
    /// A last error younger than this is a FAIL (deliveries are failing now); an older one a WARN.
    public var recentErrorAge: Duration
    /// More pending updates than this is a WARN (Telegram is holding a backlog).
    public var pendingUpdatesWarning: Int64

    /// Creates a configuration.
    public init(
        token: Secret?, tokenSource: String? = nil, apiBaseURL: URL = URL(string: "https://api.telegram.org")!,
        expectedWebhookURL: String? = nil, handledKinds: [String]? = nil, roundTrips: Int = 5,
        dataDirectory: String = "./tgbotd-data", listenHost: String? = "127.0.0.1", listenPort: Int = 8080,
        webhookSecret: Secret? = nil, webhookSecretSource: String? = nil, recentErrorAge: Duration = .seconds(900),
        pendingUpdatesWarning: Int64 = 100
    ) {
        self.token = token
        self.tokenSource = tokenSource
        self.apiBaseURL = apiBaseURL
        self.expectedWebhookURL = expectedWebhookURL
        self.handledKinds = handledKinds
        self.roundTrips = roundTrips
        self.dataDirectory = dataDirectory
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.webhookSecret = webhookSecret
        self.webhookSecretSource = webhookSecretSource
        self.recentErrorAge = recentErrorAge
        self.pendingUpdatesWarning = pendingUpdatesWarning
    }
}
