import FoundationEssentials
import TGBotAPI
import TGBotTypes

/// Wraps the real Bot API caller for one update so that its first reply can travel in the webhook response.
///
/// Telegram accepts one method call as the body of the webhook's `200` (`{"method": "sendMessage", …}`) and
/// performs it as if it had been called, saving a round trip. Only ``send(_:)`` — a call whose result is not
/// needed — can go that way, since Telegram returns nothing for it; a call with uploads cannot (the body must
/// be JSON). ``call(_:)`` always goes over the network and closes the slot, so a handler that needs results
/// never has its calls reordered behind a deferred one. When the slot is closed (deadline passed, handler
/// finished), `send` goes over the network too: the reply is never lost.
struct WebhookReplyCaller: BotAPICaller {
    let base: any BotAPICaller
    let slot: WebhookReplySlot

    func call<Method: BotMethod>(_ method: Method) async throws -> Method.Response {
        slot.close()
        return try await base.call(method)
    }

    func send<Method: BotMethod>(_ method: Method) async throws {
        if method.uploads.isEmpty, let body = try? Self.webhookBody(for: method), slot.tryCapture(body) { return }
        try await base.send(method)
    }

    /// The method's parameters as a JSON object with a leading `"method"` member.
    static func webhookBody<Method: BotMethod>(for method: Method) throws -> [UInt8] {
        let parameters = try JSONEncoder().encode(method)
        var body = Array(#"{"method":""#.utf8) + Array(Method.methodName.utf8) + [UInt8(ascii: "\"")]
        // `parameters` is an object: `{}` or `{…}`. Splice its members after ours.
        if parameters.count > 2 { body.append(UInt8(ascii: ",")) }
        body.append(contentsOf: parameters.dropFirst())
        return body
    }
}
