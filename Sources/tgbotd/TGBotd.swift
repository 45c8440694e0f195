import ArgumentParser

/// The `tgbotd` command: runs Telegram bots behind a webhook.
@main
struct TGBotd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tgbotd",
        abstract: "Run Telegram bots in production: a webhook server, a dispatcher and the Bot API client.",
        subcommands: [Serve.self, Webhook.self, DoctorCommand.self, Decode.self]
    )
}
