/// Why a Bot API call failed: Telegram said no (``api(method:code:description:retryAfter:migrateToChatID:)``),
/// the request never got an answer (``transport(method:underlying:)``), or the answer could not be read
/// (``decoding(method:underlying:bodyPrefix:)``).
///
/// A struct over a private enum (rather than a public enum) so new kinds can be added without breaking
/// `switch`es in bot code; match on ``kind`` and read the fields:
///
/// ```swift
/// catch let error as BotAPIError where error.kind == .api && error.errorCode == 429 {
///     try await Task.sleep(for: .seconds(error.retryAfter ?? 1))
/// }
/// ```
///
/// Every description names the method and never contains the bot token: texts taken from underlying errors
/// (a `URLError` quotes the request URL, which holds the token) are scrubbed when the error is made, and the
/// original error value is not kept.
public struct BotAPIError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kind of failure; compare with ``api``, ``transport`` and ``decoding``.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: Sendable, Hashable {
            case api, transport, decoding, encoding
        }

        fileprivate let base: Base

        /// Telegram answered `ok: false`.
        public static let api = Kind(base: .api)
        /// No HTTP answer, or an HTTP error without a Bot API envelope (a proxy's 502 page).
        public static let transport = Kind(base: .transport)
        /// An answer arrived but is not a Bot API envelope with a `result` of the expected type.
        public static let decoding = Kind(base: .decoding)
        /// The parameters could not be encoded (a value JSON cannot represent, repeated attachment names); the
        /// request was not sent.
        public static let encoding = Kind(base: .encoding)

        public var description: String {
            switch base {
            case .api: "api"
            case .transport: "transport"
            case .decoding: "decoding"
            case .encoding: "encoding"
            }
        }
    }

    /// What went wrong.
    public let kind: Kind
    /// The Bot API method that failed (`sendMessage`).
    public let method: String
    /// Telegram's `error_code` (an HTTP status, e.g. 400, 403, 429); nil unless ``kind`` is ``Kind/api``.
    public let errorCode: Int?
    /// Telegram's human-readable `description` ("Bad Request: chat not found"); nil unless ``kind`` is
    /// ``Kind/api``.
    public let apiDescription: String?
    /// `parameters.retry_after`: seconds to wait before repeating the request (flood control, 429).
    public let retryAfter: Int?
    /// `parameters.migrate_to_chat_id`: the group became a supergroup with this id; repeat the call there.
    public let migrateToChatID: Int64?
    /// The cause of a transport or decoding failure, with the token scrubbed from its text.
    public let underlying: (any Error)?
    /// The first bytes of an undecodable response body (at most ``bodyPrefixLimit`` characters), scrubbed.
    public let bodyPrefix: String?

    /// How many characters of an undecodable body ``bodyPrefix`` keeps.
    public static let bodyPrefixLimit = 200

    private init(
        kind: Kind, method: String, errorCode: Int? = nil, apiDescription: String? = nil, retryAfter: Int? = nil,
        migrateToChatID: Int64? = nil, underlying: (any Error)? = nil, bodyPrefix: String? = nil
    ) {
        self.kind = kind
        self.method = method
        self.errorCode = errorCode
        self.apiDescription = apiDescription
        self.retryAfter = retryAfter
        self.migrateToChatID = migrateToChatID
        self.underlying = underlying
        self.bodyPrefix = bodyPrefix
    }

    /// Telegram refused the call (`"ok": false`).
    ///
    /// - Parameters:
    ///   - method: The method name.
    ///   - code: `error_code`.
    ///   - description: `description`.
    ///   - retryAfter: `parameters.retry_after`, if present.
    ///   - migrateToChatID: `parameters.migrate_to_chat_id`, if present.
    public static func api(
        method: String, code: Int, description: String, retryAfter: Int? = nil, migrateToChatID: Int64? = nil
    ) -> BotAPIError {
        BotAPIError(
            kind: .api, method: method, errorCode: code, apiDescription: description, retryAfter: retryAfter,
            migrateToChatID: migrateToChatID)
    }

    /// The request got no Bot API answer. Pass an already scrubbed error (``BotClient`` does).
    public static func transport(method: String, underlying: any Error) -> BotAPIError {
        BotAPIError(kind: .transport, method: method, underlying: underlying)
    }

    /// The answer could not be decoded. Pass an already scrubbed error and body prefix (``BotClient`` does).
    public static func decoding(method: String, underlying: any Error, bodyPrefix: String) -> BotAPIError {
        BotAPIError(kind: .decoding, method: method, underlying: underlying, bodyPrefix: bodyPrefix)
    }

    /// The parameters could not be encoded, so nothing was sent.
    public static func encoding(method: String, underlying: any Error) -> BotAPIError {
        BotAPIError(kind: .encoding, method: method, underlying: underlying)
    }

    /// Whether repeating the same call later may succeed: flood control (429), Telegram-side failures (5xx)
    /// and transport failures.
    public var isRetryable: Bool {
        switch kind.base {
        case .api: retryAfter != nil || (errorCode ?? 0) >= 500
        case .transport: true
        case .decoding, .encoding: false
        }
    }

    /// One line naming the method, e.g. `sendMessage failed: Telegram error 429: Too Many Requests: retry
    /// after 5 (retry after 5s)`.
    public var description: String {
        switch kind.base {
        case .api:
            var text = "\(method) failed: Telegram error \(errorCode ?? 0): \(apiDescription ?? "")"
            if let retryAfter { text += " (retry after \(retryAfter)s)" }
            if let migrateToChatID { text += " (migrated to chat \(migrateToChatID))" }
            return text
        case .transport:
            return "\(method) failed: transport error: \(underlying.map { "\($0)" } ?? "unknown")"
        case .decoding:
            return "\(method) failed: cannot decode the response: \(underlying.map { "\($0)" } ?? "unknown")"
                + (bodyPrefix.map { " (body starts with: \($0))" } ?? "")
        case .encoding:
            return "\(method) failed: cannot encode the parameters: \(underlying.map { "\($0)" } ?? "unknown")"
        }
    }

    public var debugDescription: String { "BotAPIError(\(kind), \(description))" }
}
