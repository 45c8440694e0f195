import ArgumentParser
import FoundationEssentials
import TGBot
import TGBotAPI
import TGBotTypes

/// `tgbotd webhook`: register, inspect and remove the bot's webhook.
struct Webhook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the bot's webhook at Telegram: set, info, delete.",
        discussion: """
            The token comes from --token-file, else $TELEGRAM_BOT_TOKEN, else \
            $CREDENTIALS_DIRECTORY/telegram-bot-token. The Bot API server is --api-base-url, else \
            $TGBOTD_API_BASE_URL, else https://api.telegram.org.
            """,
        subcommands: [WebhookSet.self, WebhookShow.self, WebhookDelete.self]
    )
}

/// `tgbotd webhook info`: what Telegram knows about the webhook (getWebhookInfo).
struct WebhookShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the registered webhook: url, pending updates, last error and its age, allowed updates."
    )

    @OptionGroup var api: BotAPIOptions

    func run() async throws {
        let session = try api.makeSession(token: try requireToken(api))
        let info: WebhookInfo
        do {
            info = try await session.client.getWebhookInfo()
            await session.shutdown()
        } catch {
            await session.shutdown()
            StandardStreams.writeError("\(error)\n")
            throw ExitCode.failure
        }
        for line in info.summaryLines() { print(line) }
    }
}

/// `tgbotd webhook delete`: remove the webhook (deleteWebhook).
struct WebhookDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Remove the webhook; Telegram stops delivering updates.")

    @OptionGroup var api: BotAPIOptions

    @Flag(name: .customLong("drop-pending-updates"), help: "Also drop the updates Telegram has queued.")
    var dropPendingUpdates = false

    func run() async throws {
        let session = try api.makeSession(token: try requireToken(api))
        do {
            _ = try await session.client.deleteWebhook(dropPendingUpdates: dropPendingUpdates ? true : nil)
            await session.shutdown()
        } catch {
            await session.shutdown()
            StandardStreams.writeError("\(error)\n")
            throw ExitCode.failure
        }
        print(dropPendingUpdates ? "Webhook deleted; pending updates dropped." : "Webhook deleted.")
    }
}

/// The token from `api`, or a usage error naming where it is looked for.
func requireToken(_ api: BotAPIOptions) throws -> Secret {
    guard let (token, _) = try api.token() else {
        throw ValidationError(
            "no bot token: set TELEGRAM_BOT_TOKEN, pass --token-file PATH, or provide the telegram-bot-token credential"
        )
    }
    return token
}
