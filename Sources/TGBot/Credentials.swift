import TGBotTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds the bot token and the webhook secret: in the environment, or in systemd credentials.
///
/// systemd's `LoadCredential=telegram-bot-token:/etc/tgbotd/token` copies the file into a private, read-only
/// directory only the service can read and names it in `$CREDENTIALS_DIRECTORY`; the token never appears in
/// the unit, the environment (`systemctl show`, `/proc/PID/environ`) or the journal.
///
/// Precedence, for each secret: an explicit value (a flag or its environment variable) wins, then the
/// credential file. A missing directory or file means "not configured" (nil); a file that exists but cannot be
/// read, or holds an invalid value, is an error, so a broken deployment fails loudly instead of running without
/// a secret. Error messages name the file, never its contents.
///
/// Thread-safety: an immutable value.
public struct Credentials: Sendable {
    /// The credential name of the bot token (`LoadCredential=telegram-bot-token:…`).
    public static let botTokenName = "telegram-bot-token"
    /// The credential name of the webhook secret (`LoadCredential=webhook-secret:…`).
    public static let webhookSecretName = "webhook-secret"
    /// Credential files larger than this are rejected (a token is under 100 bytes).
    public static let maxFileBytes = 4096

    /// A credential file that exists but cannot be used.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        /// The file's path.
        public var path: String
        /// What is wrong (never the file's contents).
        public var reason: String
        public var description: String { "credential \(path): \(reason)" }
    }

    /// `$CREDENTIALS_DIRECTORY`, or nil when the service has no credentials.
    public let directory: String?
    private let environment: [String: String]

    /// Creates a lookup over the process environment (injectable for tests).
    public init(environment: [String: String]) {
        self.environment = environment
        self.directory = environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The bot token: `$TELEGRAM_BOT_TOKEN` when set and non-empty, else the `telegram-bot-token` credential.
    /// - Returns: nil when neither is configured.
    /// - Throws: ``LoadError`` when the credential file exists but is unreadable, empty or too large.
    public func botToken() throws(LoadError) -> Secret? {
        if let value = environment["TELEGRAM_BOT_TOKEN"], !value.isEmpty { return Secret(value) }
        return try load(Self.botTokenName)
    }

    /// The webhook secret: `explicit` (from `--secret-token` or `$TGBOTD_SECRET_TOKEN`) when given, else the
    /// `webhook-secret` credential, which must follow Telegram's rule for `secret_token` (1-256 characters of
    /// `A-Z a-z 0-9 _ -`).
    /// - Returns: nil when neither is configured.
    /// - Throws: ``LoadError`` when the credential file exists but cannot be used.
    public func webhookSecret(explicit: String?) throws(LoadError) -> Secret? {
        if let explicit { return Secret(explicit) }
        guard let secret = try load(Self.webhookSecretName) else { return nil }
        guard Self.isValidWebhookSecret(secret.reveal()) else {
            throw LoadError(
                path: path(Self.webhookSecretName),
                reason: "not a valid secret token (1-256 characters of A-Z, a-z, 0-9, _ and -)")
        }
        return secret
    }

    /// Whether `value` may be used as a webhook `secret_token` (Bot API, setWebhook).
    public static func isValidWebhookSecret(_ value: String) -> Bool {
        let allowed = value.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
                || byte == 45
        }
        return (1...256).contains(value.utf8.count) && allowed
    }

    /// Reads the credential `name`, without surrounding whitespace.
    /// - Returns: nil when there is no credentials directory or no such file.
    /// - Throws: ``LoadError`` when the file exists but is unreadable, empty or larger than ``maxFileBytes``.
    public func load(_ name: String) throws(LoadError) -> Secret? {
        guard directory != nil else { return nil }
        return try Self.read(path: path(name), missingIsError: false)
    }

    /// The credential path for `name`, when there is a credentials directory.
    public func path(of name: String) -> String? { directory.map { _ in path(name) } }

    /// Reads a secret file (a credential, or `--token-file`), without surrounding whitespace.
    /// - Parameter missingIsError: whether a missing file throws (a named file) or yields nil (an optional one).
    /// - Throws: ``LoadError`` when the file is missing (if an error), unreadable, empty or too large; the error
    ///   names the file, never its contents.
    public static func read(path: String, missingIsError: Bool) throws(LoadError) -> Secret? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT && !missingIsError { return nil }
            throw LoadError(path: path, reason: "cannot open: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count <= Self.maxFileBytes {
            let count = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw LoadError(path: path, reason: "cannot read: \(String(cString: strerror(code)))")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
        guard bytes.count <= Self.maxFileBytes else {
            throw LoadError(path: path, reason: "larger than \(Self.maxFileBytes) bytes")
        }
        // Files written with `echo` end in a newline (or CRLF), and hand-edited ones may carry stray blanks; a token
        // or secret never contains whitespace, so surrounding spaces, tabs and line ends are dropped.
        func isBlank(_ byte: UInt8) -> Bool { byte == 10 || byte == 13 || byte == 32 || byte == 9 }
        while let last = bytes.last, isBlank(last) { bytes.removeLast() }
        while let first = bytes.first, isBlank(first) { bytes.removeFirst() }
        guard !bytes.isEmpty else { throw LoadError(path: path, reason: "empty") }
        return Secret(String(decoding: bytes, as: UTF8.self))
    }

    private func path(_ name: String) -> String {
        let base = directory ?? ""
        return base.hasSuffix("/") ? base + name : base + "/" + name
    }
}

/// read(2), named apart from ``Credentials/read(path:missingIsError:)``.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
