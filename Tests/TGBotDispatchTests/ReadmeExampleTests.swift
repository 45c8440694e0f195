import Logging
import TGBotAPI
import TGBotDispatch
import TGBotTesting
import TGBotTypes
import Testing

/// The README's "Writing a bot" snippet, kept compiling and working.
struct ReadmeExampleTests {
    @Test func readmeExampleHandlesCommandsTextAndCallbacks() async throws {
        var dispatcher = Dispatcher(botUsername: "my_bot")
        dispatcher.command("start") { context, _ in try await context.reply("Hello!") }
        dispatcher.message(.text && .chatType(.private)) { context, message in
            try await context.reply(message.text ?? "")
        }
        dispatcher.callbackQuery(data: "buy:") { context, _ in try await context.answerCallbackQuery(text: "Bought") }
        dispatcher.onError { error, context in context.logger.error("handler failed", metadata: ["error": "\(error)"]) }

        let bot = RecordingBotAPICaller()
        _ = await dispatcher.handle(Update.make(text: "/start", chatID: 5, userID: 5, updateID: 1), bot: bot)
        _ = await dispatcher.handle(Update.make(text: "/start@other_bot", chatID: 5, userID: 5, updateID: 2), bot: bot)
        _ = await dispatcher.handle(Update.make(text: "echo me", chatID: 5, userID: 5, updateID: 3), bot: bot)
        #expect(bot.sentTexts == ["Hello!", "/start@other_bot", "echo me"])
    }
}
