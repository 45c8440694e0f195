import FoundationEssentials
import TGBotTypes

/// Where the operator's secrets come from, for `tgbotd webhook` and `tgbotd doctor`: the bot token and the
/// webhook secret, read from a flag, the environment or a systemd credential file.
///
/// Lookup order (the first that is present wins):
/// - token: `--token-file PATH`, then `$TELEGRAM_BOT_TOKEN`, then `$CREDENTIALS_DIRECTORY/telegram-bot-token`
///   (systemd `LoadCredential=telegram-bot-token:…`);
/// - webhook secret: `--secret-token`, then `$TGBOTD_SECRET_TOKEN`, then `$CREDENTIALS_DIRECTORY/webhook-secret`.
///
/// A file loses its trailing newline (as `echo` writes it); an empty file is an error. Values are
/// returned as ``Secret`` so they never reach a log.
public struct OperatorCredentials: Sendable {
    /// The credential name of the bot token (`LoadCredential=telegram-bot-token:/etc/tgbotd/token`).
    public static let tokenCredentialName = Credentials.botTokenName
    /// The credential name of the webhook secret.
    public static let secretCredentialName = Credentials.webhookSecretName

    /// The process environment to read.
    public var environment: [String: String]

    /// Creates a reader over `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Where a value came from, for messages that must not show the value itself.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case flag(String)
        case environment(String)
        case file(String)

        public var description: String {
            switch self {
            case .flag(let name): name
            case .environment(let name): "$" + name
            case .file(let path): path
            }
        }
    }

    /// Why a credential could not be read (the path and the reason, never the contents).
    public typealias ReadError = Credentials.LoadError

    /// The bot token and where it came from, or nil when none is configured.
    ///
    /// - Parameter tokenFile: `--token-file`, which wins over the environment.
    /// - Throws: ``ReadError`` when the named file cannot be read.
    public func token(tokenFile: String? = nil) throws(ReadError) -> (Secret, Source)? {
        if let tokenFile {
            return try Credentials.read(path: tokenFile, missingIsError: true).map { ($0, .file(tokenFile)) }
        }
        if let value = environment["TELEGRAM_BOT_TOKEN"], !value.isEmpty {
            return (Secret(value), .environment("TELEGRAM_BOT_TOKEN"))
        }
        return try credential(Self.tokenCredentialName)
    }

    /// The webhook secret and where it came from, or nil when none is configured.
    ///
    /// - Parameter flag: `--secret-token`, which wins over the environment.
    /// - Throws: ``ReadError`` when the credential file exists but cannot be used.
    public func webhookSecret(flag: String? = nil) throws(ReadError) -> (Secret, Source)? {
        if let flag { return (Secret(flag), .flag("--secret-token")) }
        if let value = environment["TGBOTD_SECRET_TOKEN"], !value.isEmpty {
            return (Secret(value), .environment("TGBOTD_SECRET_TOKEN"))
        }
        let credentials = Credentials(environment: environment)
        guard let secret = try credentials.webhookSecret(explicit: nil) else { return nil }
        return (secret, .file(credentials.path(of: Self.secretCredentialName) ?? Self.secretCredentialName))
    }

    /// `$CREDENTIALS_DIRECTORY/<name>` through ``Credentials``, if that directory is set and the file exists.
    private func credential(_ name: String) throws(ReadError) -> (Secret, Source)? {
        let credentials = Credentials(environment: environment)
        guard let secret = try credentials.load(name) else { return nil }
        return (secret, .file(credentials.path(of: name) ?? name))
    }
}
