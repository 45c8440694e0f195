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

    /// Performs a call whose result is not needed; see the default implementation.
    func send<Method: BotMethod>(_ method: Method) async throws
}

extension BotAPICaller {
    /// Performs a call whose result the caller does not need.
    ///
    /// This is the entry point for replies (`UpdateContext.reply`): a caller may deliver such a call in a way
    /// that yields no result — the dispatcher's webhook-reply wrapper returns the first one as the body of the
    /// webhook's 200 response, saving a round trip. The default performs ``call(_:)`` and drops the result.
    ///
    /// - Throws: what ``call(_:)`` throws.
    public func send<Method: BotMethod>(_ method: Method) async throws {
        _ = try await call(method)
    }
}
