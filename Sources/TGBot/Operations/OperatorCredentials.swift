import Foundation
import TGBotTypes

/// Where the operator's secrets come from, for `tgbotd webhook` and `tgbotd doctor`: the bot token and the
/// webhook secret, read from a flag, the environment or a systemd credential file.
///
/// Lookup order (the first that is present wins):
/// - token: `--token-file PATH`, then `$TELEGRAM_BOT_TOKEN`, then `$CREDENTIALS_DIRECTORY/telegram-bot-token`
///   (systemd `LoadCredential=telegram-bot-token:…`);
/// - webhook secret: `--secret-token`, then `$TGBOTD_SECRET_TOKEN`, then `$CREDENTIALS_DIRECTORY/webhook-secret`.
///
/// File contents are trimmed of surrounding whitespace (a trailing newline from `echo` is common). Values are
/// returned as ``Secret`` so they never reach a log.
public struct OperatorCredentials: Sendable {
    /// The credential name of the bot token (`LoadCredential=telegram-bot-token:/etc/tgbotd/token`).
    public static let tokenCredentialName = "telegram-bot-token"
    /// The credential name of the webhook secret.
    public static let secretCredentialName = "webhook-secret"

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

    /// Why a credential could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// The file that could not be read.
        public var path: String
        /// The reason (never the contents).
        public var reason: String

        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// The bot token and where it came from, or nil when none is configured.
    ///
    /// - Parameter tokenFile: `--token-file`, which wins over the environment.
    /// - Throws: ``ReadError`` when the named file cannot be read.
    public func token(tokenFile: String? = nil) throws(ReadError) -> (Secret, Source)? {
        if let tokenFile {
            return try Self.read(tokenFile).map { (Secret($0), .file(tokenFile)) }
        }
        if let value = environment["TELEGRAM_BOT_TOKEN"], !value.isEmpty {
            return (Secret(value), .environment("TELEGRAM_BOT_TOKEN"))
        }
        return try credential(Self.tokenCredentialName)
    }

    /// The webhook secret and where it came from, or nil when none is configured.
    ///
    /// - Parameter flag: `--secret-token`, which wins over the environment.
    /// - Throws: ``ReadError`` when the credential file exists but cannot be read.
    public func webhookSecret(flag: String? = nil) throws(ReadError) -> (Secret, Source)? {
        if let flag { return (Secret(flag), .flag("--secret-token")) }
        if let value = environment["TGBOTD_SECRET_TOKEN"], !value.isEmpty {
            return (Secret(value), .environment("TGBOTD_SECRET_TOKEN"))
        }
        return try credential(Self.secretCredentialName)
    }

    /// `$CREDENTIALS_DIRECTORY/<name>`, if that directory is set and the file exists.
    private func credential(_ name: String) throws(ReadError) -> (Secret, Source)? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try Self.read(path).map { (Secret($0), .file(path)) }
    }

    /// The trimmed contents of `path`; nil when empty.
    private static func read(_ path: String) throws(ReadError) -> String? {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            // Only the path and the system's reason: the error text never holds the file's contents.
            let reason = (error as NSError).localizedFailureReason ?? "unreadable"
            throw ReadError(path: path, reason: reason)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
