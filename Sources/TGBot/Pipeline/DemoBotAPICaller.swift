import Logging
import TGBotAPI
import TGBotTypes

/// The Bot API caller of the local demo mode (no `TELEGRAM_BOT_TOKEN`): there is no Telegram to talk to.
///
/// Replies still work: demo mode turns on answering in the webhook response, so a `curl` POSTing an update
/// sees the bot's reply as the response body. A reply that misses the webhook response is logged and dropped
/// (there is nowhere to send it); a call that needs a result fails with ``DemoModeError``.
public struct DemoBotAPICaller: BotAPICaller {
    let logger: Logger

    /// Creates the demo caller; undelivered replies are logged to `logger`.
    public init(logger: Logger) { self.logger = logger }

    public func call<Method: BotMethod>(_ method: Method) async throws -> Method.Response {
        throw DemoModeError(method: Method.methodName)
    }

    public func send<Method: BotMethod>(_ method: Method) async throws {
        logger.notice(
            "Demo mode: reply not delivered (it missed the webhook response and there is no bot token)",
            metadata: ["api.method": "\(Method.methodName)"])
    }
}

/// A Bot API call that needs Telegram's answer was made in demo mode.
public struct DemoModeError: Error, Sendable, CustomStringConvertible {
    /// The method that was called.
    public let method: String

    public var description: String {
        "\(method): no Bot API in demo mode (set TELEGRAM_BOT_TOKEN to talk to Telegram)"
    }
}
