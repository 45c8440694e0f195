import TGBotDispatch
import TGBotExamples
import TGBotTesting
import TGBotTypes
import Testing

@Suite struct EchoBotTests {
    let bot = RecordingBotAPICaller()
    let dispatcher = ExampleBot.echo.makeDispatcher(botUsername: "echo_bot")

    @Test func repliesWithTheSameText() async {
        let outcome = await dispatcher.handle(.make(text: "Hello, 世界 👋", chatID: 12, userID: 3), bot: bot)
        #expect(outcome.status == .handled)
        #expect(bot.calls.map(\.method) == ["sendMessage"])
        #expect(bot.calls.first?.parameters == ["chat_id": 12, "text": "Hello, 世界 👋"])
    }

    @Test func echoesCommandsToo() async {
        _ = await dispatcher.handle(.make(text: "/start"), bot: bot)
        #expect(bot.sentTexts == ["/start"])
    }

    @Test func ignoresMessagesWithoutText() async {
        var message = Message.make()
        message.sticker = nil
        message.photo = [PhotoSize(fileID: "f", fileUniqueID: "u", width: 1, height: 1)]
        let outcome = await dispatcher.handle(.make(message: message), bot: bot)
        #expect(outcome.status == .unhandled)
        #expect(bot.calls.isEmpty)
    }

    @Test func ignoresOtherUpdateKinds() async {
        let outcome = await dispatcher.handle(.makeCallback(data: "x"), bot: bot)
        #expect(outcome.status == .unhandled)
        #expect(bot.calls.isEmpty)
    }
}
