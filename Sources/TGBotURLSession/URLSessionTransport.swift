import Foundation
import TGBotAPI

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A ``TGBotAPI/BotAPITransport`` over Foundation's `URLSession`, for those who prefer it to the default
/// ``TGBotAPI/HTTPClientTransport`` (it loads FoundationNetworking and libcurl, and on Linux tops out near 1,000
/// calls a second).
///
/// One session per transport, so connections (and TLS sessions) to the Bot API server are kept alive and
/// reused across calls; share one transport between clients of the same server. Each request carries its own
/// timeout (``BotAPITransportRequest/timeout``); the session adds a resource timeout as a backstop.
/// Responses are never cached and cookies are never stored: the Bot API needs neither.
///
/// Thread-safety: `URLSession` is thread-safe; the transport holds nothing else.
public final class URLSessionTransport: BotAPITransport {
    // Sendable: `session` is immutable after init and URLSession is documented thread-safe.
    private let session: URLSession

    /// Creates a transport with its own session.
    ///
    /// - Parameters:
    ///   - maximumConnectionsPerHost: How many connections to keep to the Bot API server; calls beyond that
    ///     wait for a free connection.
    ///   - resourceTimeout: The upper bound for any single exchange, whatever the request's own timeout.
    public init(maximumConnectionsPerHost: Int = 256, resourceTimeout: Duration = .seconds(300)) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maximumConnectionsPerHost
        configuration.timeoutIntervalForResource = resourceTimeout.timeInterval
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` with `URLSession` and returns whatever HTTP response arrives.
    ///
    /// - Throws: `URLError` when there is no response; `CancellationError` when the task is cancelled.
    public func send(_ request: BotAPITransportRequest) async throws -> BotAPITransportResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: request.timeout.timeInterval)
        urlRequest.httpMethod = "POST"
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        urlRequest.httpBody = request.body
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch let error as URLError where error.code == .cancelled && Task.isCancelled {
            throw CancellationError()
        }
        guard let http = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        return BotAPITransportResponse(status: http.statusCode, body: data)
    }
}

extension Duration {
    /// The duration in seconds, for Foundation APIs.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension URLError: TransportErrorDescribing {
    /// `URLError <code>: <localized description> (<failing URL>)`; ``TGBotAPI/Redaction`` removes the token.
    public var transportDescription: String {
        "URLError \(code.rawValue): \(localizedDescription)" + (failingURL.map { " (\($0.absoluteString))" } ?? "")
    }

    /// The `URLError.Code` raw value.
    public var transportErrorCode: Int? { code.rawValue }
}
