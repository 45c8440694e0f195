import Foundation

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
            let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
            if encoded != token { needles.append(encoded) }
            let lowerEncoded = encoded.replacingOccurrences(of: "%3A", with: "%3a")
            if lowerEncoded != encoded { needles.append(lowerEncoded) }
        }
        self.needles = needles
    }

    /// `text` with every occurrence of the token replaced by ``placeholder``.
    public func scrub(_ text: String) -> String {
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacingOccurrences(of: needle, with: Self.placeholder)
        }
        return result
    }

    /// A stand-in for `error` whose description is scrubbed; the original value is not kept.
    public func scrub(_ error: any Error) -> RedactedError {
        if let already = error as? RedactedError { return already }
        let nsError = error as NSError
        let code: Int? = error is URLError ? nsError.code : nil
        return RedactedError(
            typeName: String(describing: type(of: error)),
            description: scrub(Self.describe(error)),
            urlErrorCode: code)
    }

    /// The most informative text for an error: its own description, plus the localized description for
    /// Foundation errors whose `description` is just a domain and code.
    private static func describe(_ error: any Error) -> String {
        if let urlError = error as? URLError {
            return "URLError \(urlError.code.rawValue): \(urlError.localizedDescription)"
                + (urlError.failureURLString.map { " (\($0))" } ?? "")
        }
        return String(describing: error)
    }
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

extension URLError {
    /// `failingURL` as text, when Foundation recorded one.
    fileprivate var failureURLString: String? {
        failingURL?.absoluteString
    }
}
