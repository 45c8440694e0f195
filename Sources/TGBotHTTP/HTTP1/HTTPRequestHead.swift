/// The parsed head of a request: everything before the content.
public struct HTTPRequestHead: Sendable {
    /// How the content is delimited (RFC 9112 §6).
    public enum Framing: Sendable, Equatable {
        /// No content.
        case none
        /// Exactly this many bytes.
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
    }

    public var method: HTTPMethod
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// How the content is framed.
    public var framing: Framing
    /// Whether the client asked for `100 Continue` before sending content.
    public var expectsContinue: Bool
    /// Whether the client allows the connection to stay open after this exchange.
    public var keepAlive: Bool
}
