import TGBotDispatch
import TGBotTypes

/// The example echo bot (`tgbotd serve --bot echo`, the default): replies to every text message with the
/// same text.
public enum EchoBot {
    /// Registers the echo handler in `dispatcher`.
    public static func install(into dispatcher: inout Dispatcher, group: Int = 0) {
        dispatcher.message(.text, group: group, name: "echo") { context, message in
            guard let text = message.text else { return }
            try await context.reply(text)
        }
    }
}
