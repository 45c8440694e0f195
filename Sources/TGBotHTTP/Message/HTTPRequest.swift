/// A complete HTTP request: head and the whole body.
///
/// The server buffers the body (bounded by ``HTTPServerConfiguration/maxBodyBytes``) before the handler
/// runs, because webhook payloads are small and a handler that sees a complete body is simpler and safer.
public struct HTTPRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target as sent (`/telegram?x=1`).
    public var target: String
    /// The path component of the target, without the query.
    public var path: String
    /// The query component (after `?`), if any.
    public var query: String?
    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields, with duplicates.
    public var headers: HTTPHeaders
    /// The request content (de-chunked).
    public var body: [UInt8]
    /// The peer address as text, for logs.
    public var remoteAddress: String
    /// A per-server unique request number, for correlating log lines.
    public var id: UInt64

    /// Creates a request (used by the parser and by tests).
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], remoteAddress: String = "", id: UInt64 = 0
    ) {
        self.method = method
        self.target = target
        if let q = target.firstIndex(of: "?") {
            self.path = String(target[..<q])
            self.query = String(target[target.index(after: q)...])
        } else {
            self.path = target
            self.query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.id = id
    }
}
