import FoundationEssentials

/// Sends one HTTP request to a Bot API server and returns the status and body: the seam between ``BotClient``
/// and the network.
///
/// ``HTTPClientTransport`` is the default (`URLSessionTransport`, in the TGBotURLSession module, is the other); tests, a server-side HTTP client or a recording proxy can be swapped
/// in. A transport knows nothing of Telegram: it must not interpret the status (a 400 carries a Bot API error
/// envelope the client reads) and must throw only when no HTTP response was received.
///
/// Conformers must be safe to call from any task concurrently.
public protocol BotAPITransport: Sendable {
    /// Performs `request` and returns the response, whatever its status.
    ///
    /// - Throws: an error when no response arrived (connection refused, timeout, TLS failure);
    ///   `CancellationError` when the calling task is cancelled. Its text may quote the URL; the client scrubs
    ///   the token from it.
    func send(_ request: BotAPITransportRequest) async throws -> BotAPITransportResponse
}

/// One HTTP request to a Bot API server; always a `POST` (the Bot API accepts GET too, but POST carries any body).
public struct BotAPITransportRequest: Sendable {
    /// `<baseURL>/bot<token>/<method>`. Contains the token: never log it.
    public var url: URL
    /// Header fields, e.g. `Content-Type`.
    public var headers: [(name: String, value: String)]
    /// The encoded parameters (JSON or multipart/form-data).
    public var body: Data
    /// How long to wait for the whole exchange.
    public var timeout: Duration

    /// Creates a request.
    public init(url: URL, headers: [(name: String, value: String)], body: Data, timeout: Duration) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The value of the header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// An HTTP response from a Bot API server.
public struct BotAPITransportResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The response body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}
