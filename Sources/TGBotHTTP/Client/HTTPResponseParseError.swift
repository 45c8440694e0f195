/// Why a response could not be parsed. After any of these the connection's stream cannot be trusted and is
/// closed.
public enum HTTPResponseParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status line is not `HTTP/x.y SP 3DIGIT [SP reason]`, or is too long.
    case malformedStatusLine
    /// The version is not HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion
    /// A header line is malformed: no colon, whitespace before the colon, control characters.
    case invalidHeader
    /// A header continued on the next line (obs-fold, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// The header section exceeds the limit.
    case headersTooLarge
    /// More header fields than the limit.
    case tooManyHeaders
    /// `Content-Length` is not a decimal number.
    case invalidContentLength
    /// Several `Content-Length` values that differ (RFC 9112 §6.3).
    case conflictingContentLength
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.3 treats it as a possible smuggling attempt).
    case contentLengthWithTransferEncoding
    /// A malformed chunk size, extension or terminator.
    case invalidChunk
    /// The content exceeds the limit.
    case bodyTooLarge
    /// `101 Switching Protocols`, which this client never asks for.
    case unexpectedUpgrade
    /// The stream ended inside a response.
    case truncated

    public var description: String {
        switch self {
        case .malformedStatusLine: "malformed status line"
        case .unsupportedVersion: "unsupported HTTP version"
        case .invalidHeader: "malformed header field"
        case .obsoleteLineFolding: "obsolete line folding in header"
        case .headersTooLarge: "header section too large"
        case .tooManyHeaders: "too many header fields"
        case .invalidContentLength: "invalid Content-Length"
        case .conflictingContentLength: "conflicting Content-Length values"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .invalidChunk: "malformed chunked encoding"
        case .bodyTooLarge: "response content too large"
        case .unexpectedUpgrade: "unexpected 101 Switching Protocols"
        case .truncated: "response truncated"
        }
    }
}
