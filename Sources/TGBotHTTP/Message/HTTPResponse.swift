/// An HTTP response produced by a handler.
///
/// The server adds `Content-Length`, `Date` and `Connection` itself; a handler sets only what is specific to
/// its answer. For `HEAD` requests the server sends the head and omits the body.
public struct HTTPResponse: Sendable {
    /// The status.
    public var status: HTTPStatus
    /// Header fields specific to this response.
    public var headers: HTTPHeaders
    /// The content.
    public var body: [UInt8]

    /// Creates a response with a byte body.
    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response with a text body and a `Content-Type`.
    public init(status: HTTPStatus, text: String, contentType: String = "text/plain; charset=utf-8") {
        self.status = status
        self.headers = ["Content-Type": contentType]
        self.body = Array(text.utf8)
    }
}
