/// Why a request could not be parsed, and which status answers it.
///
/// Every case maps to the status the server sends (with `Connection: close`, since after a framing error the
/// rest of the stream cannot be trusted), in the style of an error that knows its HTTP response.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request line exceeds ``HTTPParserLimits/maxRequestLineBytes`` (414).
    case requestLineTooLong
    /// The header section exceeds ``HTTPParserLimits/maxHeaderBytes`` (431).
    case headersTooLarge
    /// More than ``HTTPParserLimits/maxHeaderCount`` fields (431).
    case tooManyHeaders
    /// The content exceeds ``HTTPParserLimits/maxBodyBytes`` (413).
    case bodyTooLarge
    /// A method that carries content came without `Content-Length` or chunked framing (411).
    case lengthRequired
    /// The request line is not `method SP target SP version` (400).
    case malformedRequestLine
    /// The version is not HTTP/1.0 or HTTP/1.1 (505).
    case unsupportedVersion
    /// A header line is malformed: no colon, whitespace before the colon, control characters, a bare CR (400).
    case invalidHeader
    /// A header continued on the next line with leading whitespace (obs-fold, RFC 9112 §5.2) (400).
    case obsoleteLineFolding
    /// `Content-Length` is not a decimal number (400).
    case invalidContentLength
    /// Several `Content-Length` values that differ (400; RFC 9112 §6.3 — request smuggling).
    case conflictingContentLength
    /// Both `Content-Length` and `Transfer-Encoding` (400; RFC 9112 §6.1 — request smuggling).
    case contentLengthWithTransferEncoding
    /// A transfer coding other than a single final `chunked` (501), or `chunked` twice (400).
    case unsupportedTransferEncoding
    /// `Transfer-Encoding` in an HTTP/1.0 request (400; RFC 9112 §6.1).
    case transferEncodingInHTTP10
    /// A malformed chunk size, extension or chunk terminator (400).
    case invalidChunk
    /// An HTTP/1.1 request without `Host`, or with several (400; RFC 9112 §3.2).
    case invalidHost
    /// An `Expect` value other than `100-continue` (417).
    case unsupportedExpectation

    /// The status that answers this error.
    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: .uriTooLong
        case .headersTooLarge, .tooManyHeaders: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .lengthRequired: .lengthRequired
        case .unsupportedVersion: .httpVersionNotSupported
        case .unsupportedTransferEncoding: .notImplemented
        case .unsupportedExpectation: .expectationFailed
        case .malformedRequestLine, .invalidHeader, .obsoleteLineFolding, .invalidContentLength,
            .conflictingContentLength, .contentLengthWithTransferEncoding, .transferEncodingInHTTP10,
            .invalidChunk, .invalidHost:
            .badRequest
        }
    }

    public var description: String {
        switch self {
        case .requestLineTooLong: "request line too long"
        case .headersTooLarge: "header section too large"
        case .tooManyHeaders: "too many header fields"
        case .bodyTooLarge: "request content too large"
        case .lengthRequired: "content without Content-Length or chunked framing"
        case .malformedRequestLine: "malformed request line"
        case .unsupportedVersion: "unsupported HTTP version"
        case .invalidHeader: "malformed header field"
        case .obsoleteLineFolding: "obsolete line folding in header"
        case .invalidContentLength: "invalid Content-Length"
        case .conflictingContentLength: "conflicting Content-Length values"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .unsupportedTransferEncoding: "unsupported Transfer-Encoding"
        case .transferEncodingInHTTP10: "Transfer-Encoding in an HTTP/1.0 request"
        case .invalidChunk: "malformed chunked encoding"
        case .invalidHost: "missing or duplicate Host"
        case .unsupportedExpectation: "unsupported Expect value"
        }
    }
}
