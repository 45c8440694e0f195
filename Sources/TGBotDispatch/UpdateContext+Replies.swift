import TGBotAPI
import TGBotTypes

extension UpdateContext {
    /// Sends a text message to the current chat, via `bot.send` so the runtime may deliver it as the webhook
    /// reply.
    ///
    /// The reply goes to the same forum topic and business connection as the update's message.
    ///
    /// - Parameters:
    ///   - text: 1–4096 characters after entity parsing.
    ///   - parseMode: `MarkdownV2`, `HTML` or nil for plain text.
    ///   - replyMarkup: A keyboard to attach.
    ///   - quoting: Whether to show the reply as an answer to the update's message.
    /// - Throws: ``UpdateContextError`` when the update has no chat; what the Bot API call throws.
    public func reply(
        _ text: String, parseMode: String? = nil, replyMarkup: ReplyMarkup? = nil, quoting: Bool = false
    ) async throws {
        guard let chatID else { throw UpdateContextError.notApplicable("reply", kind: update.kind.name) }
        let message = self.message
        var parameters = SendMessageParameters(chatID: .id(chatID), text: text, parseMode: parseMode)
        parameters.replyMarkup = replyMarkup
        if message?.isTopicMessage == true { parameters.messageThreadID = message?.messageThreadID }
        parameters.businessConnectionID = message?.businessConnectionID
        if quoting, let message {
            parameters.replyParameters = ReplyParameters(messageID: message.messageID)
        }
        try await bot.send(parameters)
    }

    /// Answers the current callback query (stops the button's loading animation), optionally with a notice.
    ///
    /// - Throws: ``UpdateContextError`` when the update is not a callback query; what the call throws.
    public func answerCallbackQuery(text: String? = nil, showAlert: Bool? = nil) async throws {
        guard case .callbackQuery(let query) = update.kind else {
            throw UpdateContextError.notApplicable("answerCallbackQuery", kind: update.kind.name)
        }
        try await bot.send(AnswerCallbackQueryParameters(callbackQueryID: query.id, text: text, showAlert: showAlert))
    }

    /// Answers the current inline query with `results`.
    ///
    /// - Throws: ``UpdateContextError`` when the update is not an inline query; what the call throws.
    public func answerInlineQuery(_ results: [InlineQueryResult], cacheTime: Int64? = nil) async throws {
        guard case .inlineQuery(let query) = update.kind else {
            throw UpdateContextError.notApplicable("answerInlineQuery", kind: update.kind.name)
        }
        try await bot.send(AnswerInlineQueryParameters(inlineQueryID: query.id, results: results, cacheTime: cacheTime))
    }

    /// Confirms (`ok`) or refuses the current pre-checkout query; Telegram waits at most 10 seconds for it.
    ///
    /// - Throws: ``UpdateContextError`` when the update is not a pre-checkout query; what the call throws.
    public func answerPreCheckoutQuery(ok: Bool, errorMessage: String? = nil) async throws {
        guard case .preCheckoutQuery(let query) = update.kind else {
            throw UpdateContextError.notApplicable("answerPreCheckoutQuery", kind: update.kind.name)
        }
        try await bot.send(
            AnswerPreCheckoutQueryParameters(preCheckoutQueryID: query.id, ok: ok, errorMessage: errorMessage))
    }
}

/// A reply helper of ``UpdateContext`` was used on an update it does not apply to.
public struct UpdateContextError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The helper, e.g. `answerCallbackQuery`.
    public var operation: String
    /// The update kind it was used on, e.g. `message`.
    public var kind: String

    /// `operation` does not apply to an update of `kind`.
    public static func notApplicable(_ operation: String, kind: String) -> UpdateContextError {
        UpdateContextError(operation: operation, kind: kind)
    }

    public var description: String { "\(operation): not applicable to an update of kind \(kind)" }
}
