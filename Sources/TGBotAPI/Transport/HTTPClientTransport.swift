import FoundationEssentials
import TGBotHTTP

/// A ``BotAPITransport`` over our own ``HTTPClient``, for `https://api.telegram.org` (TLS via OpenSSL,
/// certificates verified against the system trust store) and for a self-hosted Bot API server over plain HTTP
/// (`telegram-bot-api --local`, usually `http://127.0.0.1:8081`).
///
/// It keeps up to ``HTTPClientConfiguration/maxConnectionsPerHost`` kept-alive connections on its own event
/// loop and is several times faster than `URLSession` on Linux for many small calls, without loading
/// FoundationNetworking and libcurl. A self-hosted server behind a private CA is trusted with
/// ``HTTPClientTLSConfiguration/additionalCAFile`` in the configuration's `tls`.
///
/// ```swift
/// let transport = try HTTPClientTransport()
/// let bot = BotClient(token: token, configuration: .init(baseURL: localURL), transport: transport)
/// ```
///
/// Thread-safety: the client is thread-safe; call from any number of tasks. Call ``shutdown()`` when done.
public final class HTTPClientTransport: BotAPITransport {
    // Sendable: `client` is immutable and Sendable.
    private let client: HTTPClient

    /// Creates a transport with its own client.
    ///
    /// - Throws: `SocketError` when the client's event loop cannot be created.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws {
        client = try HTTPClient(configuration: configuration)
    }

    /// POSTs `request` and returns the response, whatever its status.
    ///
    /// - Throws: ``HTTPClientError`` when no response arrived (its text names the operation and `host:port`,
    ///   never the path, which holds the token); `CancellationError` when the task is cancelled.
    public func send(_ request: BotAPITransportRequest) async throws -> BotAPITransportResponse {
        var headers = HTTPHeaders()
        for header in request.headers { headers.add(name: header.name, value: header.value) }
        let httpRequest = try HTTPClientRequest(
            method: .post, url: request.url.absoluteString, headers: headers, body: [UInt8](request.body))
        let response = try await client.execute(httpRequest, timeout: request.timeout)
        return BotAPITransportResponse(status: response.status.code, body: Data(response.body))
    }

    /// The transport ``BotClient`` uses when given none: one client (one event-loop thread) shared by the
    /// process, created on first use and never shut down.
    public static let shared: any BotAPITransport = {
        do {
            return try HTTPClientTransport()
        } catch {
            return UnavailableTransport(error: error)
        }
    }()

    /// Closes the connections and stops the event loop; later calls fail.
    public func shutdown() async {
        await client.shutdown()
    }
}

/// Stands in for the shared transport when its event loop could not be created: every call fails with why.
struct UnavailableTransport: BotAPITransport {
    let error: any Error

    func send(_ request: BotAPITransportRequest) async throws -> BotAPITransportResponse {
        throw error
    }
}
