import Logging
import TGBotHTTP
import TGBotTypes

/// Receives Telegram's webhook POSTs and hands accepted updates to an ``UpdateSink``.
///
/// For each request, in order:
/// 1. not ready (starting or draining) → `503` with `Retry-After`;
/// 2. a secret token is configured and `X-Telegram-Bot-Api-Secret-Token` does not match it (compared in
///    constant time) → `401`, and the body is not even parsed;
/// 3. the body is not JSON, or has no integer `update_id` → `400` with the reason;
/// 4. the sink takes the update → `200`; the sink is full or failing → `503` with `Retry-After`, so Telegram
///    delivers the update again later.
public struct WebhookIntake: Sendable {
    /// The header Telegram sends with the secret given to `setWebhook`.
    public static let secretHeader = "X-Telegram-Bot-Api-Secret-Token"

    private let secret: Secret?
    private let sink: any UpdateSink
    private let readiness: Readiness
    private let logger: Logger
    private let metrics: BotMetrics?
    /// Under overload every refused request would log a line; one line a second, with the count, is enough.
    private let overloadLog = LogThrottle(interval: .seconds(1))

    /// Creates the intake.
    /// - Parameters:
    ///   - secret: the expected secret token; nil accepts requests without one.
    ///   - sink: where accepted updates go.
    ///   - readiness: updates are refused unless it is `.ready`.
    ///   - metrics: where requests and refusals are counted, if anywhere.
    public init(
        secret: Secret?, sink: any UpdateSink, readiness: Readiness, logger: Logger, metrics: BotMetrics? = nil
    ) {
        self.secret = (secret?.isEmpty ?? true) ? nil : secret
        self.sink = sink
        self.readiness = readiness
        self.logger = logger
        self.metrics = metrics
    }

    /// Handles one webhook request.
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        metrics?.recordReceived()
        guard readiness.phase == .ready else {
            metrics?.recordRejected(.unavailable)
            return Self.retryLater("not accepting updates (\(readiness.phase))\n", seconds: 1)
        }
        if let secret {
            guard let given = request.headers[Self.secretHeader], secret.matches(given) else {
                let reason = request.headers[Self.secretHeader] == nil ? "missing" : "wrong"
                logger.info(
                    "Webhook request with \(reason) secret token",
                    metadata: Self.ids(request, nil, ["net.peer": "\(request.remoteAddress)"]))
                metrics?.recordRejected(.unauthorized)
                return HTTPResponse(status: .unauthorized, text: "unauthorized\n")
            }
        }
        let update: RawUpdate
        do {
            update = try RawUpdate(validating: request.body)
        } catch {
            logger.info(
                "Webhook body rejected",
                metadata: Self.ids(request, nil, ["error": "\(error)", "http.body_bytes": "\(request.body.count)"]))
            metrics?.recordRejected(.badRequest)
            return HTTPResponse(status: .badRequest, text: "\(error)\n")
        }
        switch await sink.submit(update) {
        case .accepted:
            logger.debug("Update accepted", metadata: Self.ids(request, update.updateID))
            return HTTPResponse(status: .ok)
        case .acceptedWithReply(let json):
            logger.debug(
                "Update accepted; replying in the webhook response", metadata: Self.ids(request, update.updateID))
            var response = HTTPResponse(status: .ok, body: json)
            response.headers.add(name: "Content-Type", value: "application/json")
            return response
        case .duplicate:
            logger.debug("Duplicate update acknowledged", metadata: Self.ids(request, update.updateID))
            return HTTPResponse(status: .ok)
        case .overloaded(let seconds):
            if let suppressed = overloadLog.shouldLog() {
                logger.info(
                    "Updates refused: pipeline full",
                    metadata: Self.ids(request, update.updateID, ["refused.since_last_line": "\(suppressed + 1)"]))
            }
            metrics?.recordRejected(.overloaded)
            return Self.retryLater("overloaded\n", seconds: seconds)
        case .unavailable(let reason):
            logger.info("Update refused", metadata: Self.ids(request, update.updateID, ["reason": "\(reason)"]))
            metrics?.recordRejected(.unavailable)
            return Self.retryLater("unavailable: \(reason)\n", seconds: 1)
        }
    }

    /// Log metadata naming the request (and the update, once known). Passed per log call — metadata is an
    /// autoclosure, built only when the level is enabled — rather than set on a copy of the logger, which
    /// cost an allocation on every request.
    private static func ids(
        _ request: HTTPRequest, _ updateID: Int64?, _ extra: Logger.Metadata = [:]
    ) -> Logger.Metadata {
        var metadata = extra
        metadata["request.id"] = .stringConvertible(request.id)
        if let updateID { metadata["update.id"] = .stringConvertible(updateID) }
        return metadata
    }

    private static func retryLater(_ text: String, seconds: Int) -> HTTPResponse {
        var response = HTTPResponse(status: .serviceUnavailable, text: text)
        response.headers.add(name: "Retry-After", value: "\(max(1, seconds))")
        return response
    }
}
