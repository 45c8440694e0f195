import TGBotTypes

/// Something that performs Bot API calls: the network client ``BotClient``, a recorder in tests, or the
/// dispatcher's webhook-reply wrapper.
///
/// Handlers and generated convenience methods (`sendMessage(chatID:text:…)`) talk to this protocol, never to a
/// concrete client, so the same bot code runs against Telegram, a self-hosted Bot API server, a test double, or
/// the local demo mode.
///
/// Conformers must be safe to call from any task concurrently.
public protocol BotAPICaller: Sendable {
    /// Performs one call and returns its decoded `result`.
    ///
    /// - Parameter method: the call's parameters; its type names the method and its result type.
    /// - Returns: the `result` field of a successful response.
    /// - Throws: ``BotAPIError`` when Telegram refuses the call, the transport fails, or the response cannot be
    ///   decoded; `CancellationError` when the calling task is cancelled.
    func call<Method: BotMethod>(_ method: Method) async throws -> Method.Response
}
