import FoundationEssentials
import Logging
import TGBotTypes

/// The Bot API client: performs calls against Telegram (or any Bot API server) over HTTP.
///
/// ```swift
/// let bot = BotClient(token: Secret(environment["TGBOTD_TOKEN"] ?? ""))
/// let me = try await bot.getMe()
/// try await bot.sendMessage(chatID: "@channel", text: "hello")
/// ```
///
/// Each call is a `POST` to `<baseURL>/bot<token>/<method>` with the parameters as a JSON body, or as
/// multipart/form-data when the call uploads files (``MultipartFormEncoder``). The answer's envelope is read in
/// one place: `ok: false` becomes ``BotAPIError/api(method:code:description:retryAfter:migrateToChatID:)`` with
/// `parameters` lifted, a missing answer ``BotAPIError/transport(method:underlying:)`` and anything unreadable
/// ``BotAPIError/decoding(method:underlying:bodyPrefix:)``.
///
/// The token is a ``Secret``: it appears only in the request URL handed to the transport, never in a log line,
/// and is scrubbed (``Redaction``) from every error text. The client does not retry; callers decide, using
/// ``BotAPIError/retryAfter`` and ``BotAPIError/isRetryable``.
///
/// Thread-safety: a value of immutable parts; call it from any number of tasks at once. Copies share the
/// transport and therefore its connections.
public struct BotClient: BotAPICaller {
    /// The settings this client was made with.
    public let configuration: BotClientConfiguration
    private let token: Secret
    private let transport: any BotAPITransport
    private let redaction: Redaction
    private let methodURLPrefix: String

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - token: The bot token from @BotFather.
    ///   - configuration: Server, timeout, logger and observer.
    ///   - transport: How requests are sent; defaults to ``HTTPClientTransport/shared`` (our own HTTP/1.1 client,
    ///     TLS via OpenSSL).
    public init(
        token: Secret, configuration: BotClientConfiguration = BotClientConfiguration(),
        transport: (any BotAPITransport)? = nil
    ) {
        self.token = token
        self.configuration = configuration
        self.transport = transport ?? HTTPClientTransport.shared
        redaction = Redaction(token: token.reveal())
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        methodURLPrefix = base + "/bot"
    }

    /// Performs `method` and returns its decoded `result`.
    ///
    /// - Throws: ``BotAPIError``; `CancellationError` when the task is cancelled.
    public func call<Method: BotMethod>(_ method: Method) async throws -> Method.Response {
        try await execute(method, as: Method.Response.self)
    }

    /// Performs `method` when its result is not needed (replies): Telegram's answer is checked (`ok`, errors
    /// mapped as for ``call(_:)``) but its `result` is not decoded into Swift values, which for a `Message` is
    /// most of the cost of a reply.
    ///
    /// - Throws: ``BotAPIError``; `CancellationError` when the task is cancelled.
    public func send<Method: BotMethod>(_ method: Method) async throws {
        _ = try await execute(method, as: DiscardedResult.self)
    }

    private func execute<Method: BotMethod, Result: Decodable>(
        _ method: Method, as resultType: Result.Type
    ) async throws -> Result {
        let name = Method.methodName
        var logger = configuration.logger
        logger[metadataKey: "api.method"] = "\(name)"
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try Task.checkCancellation()
            let result = try await perform(method, name: name, logger: logger, as: resultType)
            observe(name, .success, since: start, clock: clock)
            return result
        } catch let error as BotAPIError {
            let outcome: BotCallOutcome =
                switch error.kind {
                case .api: .apiError(code: error.errorCode ?? 0)
                case .decoding: .decodingError
                default: .transportError
                }
            observe(name, outcome, since: start, clock: clock)
            logger.debug("Bot API call failed", metadata: ["api.error": "\(error)"])
            throw error
        } catch {
            // Only cancellation reaches here: `perform` wraps everything else in BotAPIError.
            observe(name, .cancelled, since: start, clock: clock)
            throw error
        }
    }

    private func perform<Method: BotMethod, Result: Decodable>(
        _ method: Method, name: String, logger: Logger, as resultType: Result.Type
    ) async throws -> Result {
        let request = try makeRequest(method, name: name)
        let response: BotAPITransportResponse
        do {
            response = try await transport.send(request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw BotAPIError.transport(method: name, underlying: redaction.scrub(error))
        }
        logger.debug(
            "Bot API response",
            metadata: ["http.status": "\(response.status)", "http.body_bytes": "\(response.body.count)"])
        return try BotAPIResponseReader(method: name, redaction: redaction).read(resultType, from: response)
    }

    /// Builds the HTTP request: JSON body, or multipart when the call uploads files.
    private func makeRequest<Method: BotMethod>(_ method: Method, name: String) throws -> BotAPITransportRequest {
        guard let url = URL(string: methodURLPrefix + token.reveal() + "/" + name) else {
            let reason = RedactedError(typeName: "URL", description: "cannot form the method URL from the base URL")
            throw BotAPIError.transport(method: name, underlying: reason)
        }
        let body: Data
        let contentType: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let json = try encoder.encode(method)
            let uploads = method.uploads
            if uploads.isEmpty {
                body = json
                contentType = "application/json"
            } else {
                let multipart = MultipartFormEncoder()
                body = try multipart.encode(jsonParameters: json, uploads: uploads)
                contentType = multipart.contentType
            }
        } catch {
            throw BotAPIError.encoding(method: name, underlying: redaction.scrub(error))
        }
        return BotAPITransportRequest(
            url: url, headers: [("Content-Type", contentType), ("Accept", "application/json")], body: body,
            timeout: configuration.requestTimeout)
    }

    private func observe(
        _ method: String, _ outcome: BotCallOutcome, since start: ContinuousClock.Instant, clock: ContinuousClock
    ) {
        guard let observer = configuration.observer else { return }
        observer(BotCallObservation(method: method, outcome: outcome, duration: clock.now - start))
    }
}

extension BotClient: CustomStringConvertible {
    /// `BotClient(<base URL>)`; never the token.
    public var description: String { "BotClient(\(configuration.baseURL.absoluteString))" }
}

/// A `result` that is accepted whatever its shape and not decoded (``BotClient/send(_:)``).
struct DiscardedResult: Decodable {
    init(from decoder: any Decoder) throws {}
}
