import FoundationEssentials
import TGBotAPI
import TGBotTypes

/// What `tgbotd webhook set` asks Telegram for: a `setWebhook` call built from the operator's choices.
///
/// ```swift
/// var dispatcher = Dispatcher()
/// EchoBot.install(into: &dispatcher)
/// let registration = try WebhookRegistration(
///     url: "https://bot.example.com/telegram", secretToken: nil, allowedUpdates: dispatcher.handledKinds)
/// try await registration.register(with: client)
/// print(registration.secretToken.reveal())  // once, when it was generated
/// ```
public struct WebhookRegistration: Sendable {
    /// The HTTPS URL Telegram POSTs updates to.
    public var url: String
    /// The secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`.
    public var secretToken: Secret
    /// Whether ``secretToken`` was generated here (so the operator must be shown it once).
    public var isSecretGenerated: Bool
    /// The update kinds to receive; Telegram's default (every kind but `chat_member`, `message_reaction` and
    /// `message_reaction_count`) when nil.
    public var allowedUpdates: [String]?
    /// Most simultaneous HTTPS connections Telegram opens to the webhook (1–100; Telegram's default 40).
    public var maxConnections: Int?
    /// Whether Telegram drops the updates it has queued.
    public var dropPendingUpdates: Bool
    /// A self-signed certificate to upload (PEM), when the server's is not signed by a trusted CA.
    public var certificate: InputFile?

    /// Why the choices cannot be sent.
    public struct InvalidError: Error, Sendable, CustomStringConvertible {
        /// What is wrong, and what to do.
        public var description: String
    }

    /// Checks and assembles a registration; generates a secret (``WebhookSecret/generate(length:)``) when
    /// `secretToken` is nil.
    ///
    /// - Throws: ``InvalidError`` for a URL that is not `https://host…`, a secret Telegram would refuse, or
    ///   `maxConnections` outside 1–100.
    public init(
        url: String, secretToken: Secret?, allowedUpdates: [String]?, maxConnections: Int? = nil,
        dropPendingUpdates: Bool = false, certificate: InputFile? = nil
    ) throws(InvalidError) {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", parsed.host?.isEmpty == false
        else {
            throw InvalidError(description: "the webhook URL must be https://host[:port]/path (Telegram requires TLS)")
        }
        if let port = parsed.port, ![443, 80, 88, 8443].contains(port) {
            throw InvalidError(description: "Telegram only delivers webhooks to ports 443, 80, 88 and 8443")
        }
        if let maxConnections, !(1...100).contains(maxConnections) {
            throw InvalidError(description: "max connections must be 1-100")
        }
        if let secretToken, !WebhookSecret.isValid(secretToken.reveal()) {
            throw InvalidError(description: "the secret token must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        }
        if let allowedUpdates {
            let unknown = allowedUpdates.filter { !Update.Kind.knownNames.contains($0) }
            guard unknown.isEmpty else {
                throw InvalidError(description: "unknown update kinds: \(unknown.joined(separator: ", "))")
            }
        }
        self.url = url
        self.secretToken = secretToken ?? Secret(WebhookSecret.generate())
        self.isSecretGenerated = secretToken == nil
        self.allowedUpdates = allowedUpdates
        self.maxConnections = maxConnections
        self.dropPendingUpdates = dropPendingUpdates
        self.certificate = certificate
    }

    /// The `setWebhook` parameters.
    public var parameters: SetWebhookParameters {
        SetWebhookParameters(
            url: url, certificate: certificate, maxConnections: maxConnections.map(Int64.init),
            allowedUpdates: allowedUpdates, dropPendingUpdates: dropPendingUpdates ? true : nil,
            secretToken: secretToken.reveal())
    }

    /// Calls `setWebhook`.
    ///
    /// - Throws: ``TGBotAPI/BotAPIError`` when Telegram refuses or cannot be reached.
    public func register(with caller: any BotAPICaller) async throws {
        _ = try await caller.call(parameters)
    }
}
