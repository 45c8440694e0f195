import ArgumentParser
import FoundationEssentials
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotExamples
import TGBotTypes

/// The Bot API options `tgbotd webhook …` and `tgbotd doctor` share: where the Bot API is and where the token
/// comes from, plus the client built from them.
struct BotAPIOptions: ParsableArguments {
    @Option(
        name: .customLong("api-base-url"),
        help: ArgumentHelp(
            "Bot API server. Default: $TGBOTD_API_BASE_URL, else https://api.telegram.org.", valueName: "url"))
    var apiBaseURL: String?

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "Read the bot token from this file. Default: $TELEGRAM_BOT_TOKEN, else "
                + "$CREDENTIALS_DIRECTORY/telegram-bot-token.",
            valueName: "path"))
    var tokenFile: String?

    @Option(name: .customLong("request-timeout"), help: "Seconds one Bot API call may take.")
    var requestTimeout: Double = 15

    func validate() throws {
        if let url = resolvedBaseURLText {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
            else { throw ValidationError("--api-base-url must be an http or https URL, got '\(url)'") }
        }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
    }

    /// The process environment.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    private var resolvedBaseURLText: String? {
        if let apiBaseURL { return apiBaseURL }
        if let value = environment["TGBOTD_API_BASE_URL"], !value.isEmpty { return value }
        return nil
    }

    /// The Bot API server to talk to.
    var baseURL: URL { resolvedBaseURLText.flatMap(URL.init(string:)) ?? BotClientConfiguration.telegramBaseURL }

    /// The token and its source, or nil when none is configured.
    ///
    /// - Throws: `ValidationError` when a named token file cannot be read.
    func token() throws -> (Secret, OperatorCredentials.Source)? {
        do {
            return try OperatorCredentials(environment: environment).token(tokenFile: tokenFile)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// A client for `token` (see ``BotAPISession``).
    func makeSession(token: Secret) throws -> BotAPISession {
        try BotAPISession(token: token, baseURL: baseURL, requestTimeout: .milliseconds(Int(requestTimeout * 1000)))
    }
}

/// A ``BotClient`` and the transport it owns. Like `serve`, `http://` and `https://` servers go over our own
/// event-loop client (TLS via OpenSSL). Call ``shutdown()`` when done.
struct BotAPISession {
    let client: BotClient
    private let ownTransport: HTTPClientTransport?

    init(token: Secret, baseURL: URL, requestTimeout: Duration) throws {
        var transport: HTTPClientTransport?
        if let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https" {
            transport = try HTTPClientTransport()
        }
        ownTransport = transport
        client = BotClient(
            token: token, configuration: BotClientConfiguration(baseURL: baseURL, requestTimeout: requestTimeout),
            transport: transport)
    }

    /// Stops the event-loop client, if one was started.
    func shutdown() async {
        await ownTransport?.shutdown()
    }
}

/// The example bots the CLI knows, for `--bot`.
enum ExampleBotChoice: String, ExpressibleByArgument, CaseIterable {
    case echo, bank

    /// A dispatcher with this bot's handlers, to read ``TGBotDispatch/Dispatcher/handledKinds`` from.
    var dispatcher: Dispatcher {
        var dispatcher = Dispatcher()
        switch self {
        case .echo: EchoBot.install(into: &dispatcher)
        case .bank: BankBot.install(into: &dispatcher)
        }
        return dispatcher
    }
}
