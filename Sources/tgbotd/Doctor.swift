import ArgumentParser
import FoundationEssentials
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotTypes

/// `tgbotd doctor`: check the token, the webhook, the round trip to the Bot API and the local configuration.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the deployment and print each problem with its fix; exit status 1 when a check fails.",
        discussion: """
            Checks: the token (getMe; a rejected token is a failure), the webhook (getWebhookInfo: url set, \
            HTTPS, equal to --expect-url, pending updates, the last delivery error and its age, allowed_updates \
            covering --bot's handlers), the round trip to the Bot API (median and spread of --round-trips getMe \
            calls: 50 ms or less is good, above 150 ms move the server closer to Telegram), and the local \
            configuration (--data-dir writable, --host/--port free, a webhook secret set). Secrets are never \
            printed.

            Token: --token-file, else $TELEGRAM_BOT_TOKEN, else $CREDENTIALS_DIRECTORY/telegram-bot-token. \
            Secret: --secret-token, else $TGBOTD_SECRET_TOKEN, else $CREDENTIALS_DIRECTORY/webhook-secret.
            """
    )

    @OptionGroup var api: BotAPIOptions

    @Option(
        name: .customLong("expect-url"),
        help: ArgumentHelp("The webhook URL that should be registered.", valueName: "url"))
    var expectURL: String?

    @Option(help: "The bot whose handled update kinds allowed_updates should cover: echo or bank.")
    var bot: ExampleBotChoice = .echo

    @Option(name: .customLong("round-trips"), help: "How many getMe calls to time (1-100).")
    var roundTrips: Int = 5

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The data directory. Default: $TGBOTD_DATA_DIR, $STATE_DIRECTORY, else ./tgbotd-data.", valueName: "path"))
    var dataDirectory: String?

    @Option(help: "The address the daemon listens on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port the daemon listens on.")
    var port: Int = 8080

    @Flag(name: .customLong("skip-port-check"), help: "Do not try to bind --host/--port (socket activation).")
    var skipPortCheck = false

    @Option(
        name: .customLong("secret-token"),
        help: ArgumentHelp("The daemon's webhook secret, to check it is set and valid.", valueName: "token"))
    var secretToken: String?

    func validate() throws {
        guard (1...100).contains(roundTrips) else { throw ValidationError("--round-trips must be 1-100") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
    }

    func run() async throws {
        let environment = api.environment
        let credentials = OperatorCredentials(environment: environment)
        let token = try api.token()
        let secret: (Secret, OperatorCredentials.Source)?
        do {
            secret = try credentials.webhookSecret(flag: secretToken)
        } catch {
            throw ValidationError("\(error)")
        }
        // The same choice as `serve`: --data-dir, $TGBOTD_DATA_DIR, $STATE_DIRECTORY, ./tgbotd-data.
        let dataDirectory = Serve.dataDirectory(
            explicit: dataDirectory ?? environment["TGBOTD_DATA_DIR"], environment: environment)
        let configuration = DoctorConfiguration(
            token: token?.0, tokenSource: token.map { "\($0.1)" }, apiBaseURL: api.baseURL,
            expectedWebhookURL: expectURL,
            handledKinds: bot.dispatcher.handledKinds, roundTrips: roundTrips, dataDirectory: dataDirectory,
            listenHost: skipPortCheck ? nil : host, listenPort: port, webhookSecret: secret?.0,
            webhookSecretSource: secret.map { "\($0.1)" })
        let session = try token.map { try api.makeSession(token: $0.0) }
        let report = await Doctor(configuration: configuration, caller: session?.client).run()
        await session?.shutdown()
        print("tgbotd doctor — Bot API \(api.baseURL.absoluteString)")
        print(report.rendered)
        if report.hasFailure { throw ExitCode.failure }
    }
}
