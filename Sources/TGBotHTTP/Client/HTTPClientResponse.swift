/// A response received by ``HTTPClient``: status, header fields and the complete (de-chunked) content.
public struct HTTPClientResponse: Sendable {
    /// The status, with the reason phrase the server sent.
    public var status: HTTPStatus
    /// The protocol version of the response.
    public var version: HTTPVersion
    /// The header fields, in order, duplicates kept.
    public var headers: HTTPHeaders
    /// The content (empty for `HEAD`, 204 and 304).
    public var body: [UInt8]

    /// Creates a response.
    public init(
        status: HTTPStatus, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.status = status
        self.version = version
        self.headers = headers
        self.body = body
    }
}
