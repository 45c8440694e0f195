import FoundationEssentials

/// Removes the bot token from text that may quote a request URL.
///
/// The token travels in the URL path (`/bot<token>/sendMessage`), so any error that mentions the URL — a
/// `URLError`'s `failingURL` and localized description, an HTTP library's message — carries it. Everything
/// the client turns into an error description or a log value passes through ``scrub(_:)`` first; the
/// original error is dropped, leaving a ``RedactedError`` with the scrubbed text.
///
/// Both the raw token and its percent-encoded form (`:` → `%3A`) are replaced by `<redacted>`.
public struct Redaction: Sendable {
    /// What replaces the token.
    public static let placeholder = "<redacted>"

    private let needles: [String]

    /// Creates a redaction for `token`. An empty token redacts nothing.
    public init(token: String) {
        var needles: [String] = []
        if !token.isEmpty {
            needles.append(token)
            let encoded = Self.percentEncoded(token)
            if encoded != token { needles.append(encoded) }
            let lowerEncoded = encoded.replacing("%3A", with: "%3a")
            if lowerEncoded != encoded { needles.append(lowerEncoded) }
        }
        self.needles = needles
    }

    /// `text` with every occurrence of the token replaced by ``placeholder``.
    public func scrub(_ text: String) -> String {
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacing(needle, with: Self.placeholder)
        }
        return result
    }

    /// A stand-in for `error` whose description is scrubbed; the original value is not kept.
    public func scrub(_ error: any Error) -> RedactedError {
        if let already = error as? RedactedError { return already }
        let described = error as? any TransportErrorDescribing
        return RedactedError(
            typeName: String(describing: type(of: error)),
            description: scrub(described?.transportDescription ?? String(describing: error)),
            urlErrorCode: described?.transportErrorCode)
    }

    /// `text` with every byte but ASCII letters and digits percent-encoded (`:` → `%3A`), as a URL path quotes it.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "a")...UInt8(ascii: "z"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// An error type that knows a better text for itself than `String(describing:)` (Foundation's `URLError`,
/// whose description is only a domain and code), and a numeric code callers can tell failures apart by.
public protocol TransportErrorDescribing: Error {
    /// The most informative text (it may quote the URL: ``Redaction`` scrubs it).
    var transportDescription: String { get }
    /// A code such as `URLError.Code.rawValue`, or nil.
    var transportErrorCode: Int? { get }
}

/// An error whose text has been scrubbed of the bot token (see ``Redaction``): what ``BotAPIError/underlying``
/// holds for transport and decoding failures.
public struct RedactedError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Swift type of the original error (`URLError`, `DecodingError`, `UnexpectedHTTPStatus`).
    public let typeName: String
    /// The original error's description with the token replaced by `<redacted>`.
    public let description: String
    /// `URLError.Code.rawValue` when the original was a `URLError` (e.g. -1004 cannot connect, -1001 timed
    /// out), so callers can tell failures apart without the original value.
    public let urlErrorCode: Int?

    /// Creates a stand-in from already scrubbed parts.
    public init(typeName: String, description: String, urlErrorCode: Int? = nil) {
        self.typeName = typeName
        self.description = description
        self.urlErrorCode = urlErrorCode
    }
}
