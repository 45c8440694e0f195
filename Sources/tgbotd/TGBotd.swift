import ArgumentParser
import FoundationEssentials
import Glibc
import TGBot

/// The `tgbotd` command: runs Telegram bots behind a webhook.
@main
struct TGBotd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tgbotd",
        abstract: "Run Telegram bots in production: a webhook server, a dispatcher and the Bot API client.",
        subcommands: [Serve.self, Webhook.self, DoctorCommand.self, Decode.self]
    )

    /// Expands `serve`'s configuration file and `TGBOTD_*` variables into arguments before parsing (see
    /// ``SettingsSources`` for the precedence), then runs the command.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "serve" {
            do {
                arguments = try Serve.expandingSettings(arguments, environment: ProcessInfo.processInfo.environment)
            } catch {
                StandardStreams.writeError("Error: \(error)\n")
                Glibc.exit(ExitCode.validationFailure.rawValue)
            }
        }
        await main(arguments)
    }
}
