import ArgumentParser
import FoundationEssentials
import Logging
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotExamples
import TGBotHTTP
import TGBotStore
import TGBotTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `tgbotd serve`: run the webhook server and the bot.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the webhook: receive updates from Telegram and hand them to the bot.",
        discussion: """
            With no options it runs the echo bot on 127.0.0.1:8080 in local demo mode: without \
            TELEGRAM_BOT_TOKEN there is no Telegram to talk to, so replies come back as the body of the webhook \
            response (`curl` shows them). With a token, replies go to the Bot API at --api-base-url. Under \
            systemd socket activation (LISTEN_FDS) it serves the inherited sockets instead of \
            --host/--port/--unix-socket.

            Every option can also be set by an environment variable named after it (TGBOTD_MAX_IN_FLIGHT for \
            --max-in-flight, TGBOTD_WEBHOOK_REPLY=true for --webhook-reply) or by a line of a settings file \
            (--config or TGBOTD_CONFIG; `max-in-flight = 512`). Precedence: flag, then environment variable, \
            then settings file, then the default. TELEGRAM_BOT_TOKEN holds the bot token. Under \
            systemd, the token and the secret may instead be the credentials telegram-bot-token and \
            webhook-secret ($CREDENTIALS_DIRECTORY, LoadCredential=), and with NOTIFY_SOCKET the daemon reports \
            READY=1, STOPPING=1 and WATCHDOG=1 (Type=notify, WatchdogSec=).
            """
    )

    @Option(help: "Address to listen on (IPv4 or IPv6).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(
        name: .customLong("unix-socket"),
        help: ArgumentHelp("Also listen on a Unix domain socket at this path.", valueName: "path"))
    var unixSocket: String?

    @Option(name: .customLong("webhook-path"), help: "Path Telegram POSTs updates to.")
    var webhookPath: String = "/telegram"

    @Option(
        name: .customLong("secret-token"),
        help: ArgumentHelp(
            "Expected X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -). Default: $TGBOTD_SECRET_TOKEN.",
            valueName: "token"))
    var secretToken: String?

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted; larger gets 413.")
    var maxBodyBytes: Int = 1024 * 1024

    @Option(name: .customLong("io-threads"), help: "Number of I/O threads (default: 2, or 1 on one core).")
    var ioThreads: Int?

    @Option(name: .customLong("max-connections"), help: "Most open connections; more are refused with 503.")
    var maxConnections: Int = 4096

    @Option(help: ArgumentHelp("The example bot to run: echo or bank.", valueName: "name"))
    var bot: String = "echo"

    @Option(help: "Worker threads handlers run on (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-in-flight"), help: "Bound on updates accepted and not yet handled; beyond it 503.")
    var maxInFlight: Int = 1024

    @Option(
        name: .customLong("admission-wait-ms"),
        help: "At the in-flight bound, how long a webhook request waits for a slot before 503 (milliseconds).")
    var admissionWaitMilliseconds: Int = 500

    @Flag(name: .customLong("webhook-reply"), help: "Return a handler's first reply in the webhook response.")
    var webhookReply = false

    @Option(
        name: .customLong("webhook-reply-timeout-ms"),
        help: "How long the webhook response waits for that reply (milliseconds).")
    var webhookReplyTimeoutMilliseconds: Int = 250

    @Option(help: ArgumentHelp("Updates run one at a time per key: chat, user or none.", valueName: "key"))
    var ordering: String = "chat"

    @Option(
        name: .customLong("api-base-url"),
        help: ArgumentHelp(
            "Bot API server; calls go to URL/bot<token>/<method>. Default: $TGBOTD_API_BASE_URL, else https://api.telegram.org.",
            valueName: "url"))
    var apiBaseURL: String?

    @Option(
        name: .customLong("bot-username"),
        help: ArgumentHelp(
            "The bot's username, so /cmd@other_bot is ignored. Default: asked with getMe at start (with a token).",
            valueName: "name"))
    var botUsername: String?

    @Option(name: .customLong("blocked-threshold-ms"), help: "Report a handler holding its thread this long.")
    var blockedThresholdMilliseconds: Int = 1000

    @Option(name: .customLong("shutdown-grace"), help: "Seconds to finish in-flight work on SIGTERM/SIGINT.")
    var shutdownGrace: Double = 10

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Where the update journal lives. Default: $STATE_DIRECTORY (systemd StateDirectory=), else ./tgbotd-data.",
            valueName: "dir"))
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "durable: journal every update on disk (fsync) before answering 200, replay after a crash; memory: keep updates only in memory.",
            valueName: "mode"))
    var durability: String = "durable"

    @Option(
        name: .customLong("dedup-window"),
        help: "Seconds a handled update_id is remembered, so a redelivery is answered 200 and not handled again.")
    var dedupWindow: Int = 3600

    @Flag(
        name: .customLong("recover-corrupt-data"),
        help:
            "If the journal file is corrupt or not a tgbotd journal, rename it to *.corrupt-<time> and start a new one."
    )
    var recoverCorruptData = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A settings file of 'name = value' lines (flag names without dashes). Default: $TGBOTD_CONFIG.",
            valueName: "path"))
    var config: String?

    @Option(
        name: .customLong("log-format"), help: "line (key=value, journald priorities) or json (one object per line).")
    var logFormat: String = "line"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard webhookPath.hasPrefix("/") else { throw ValidationError("--webhook-path must start with '/'") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard LineLogHandler.Format(rawValue: logFormat) != nil else {
            throw ValidationError("unknown --log-format '\(logFormat)' (line or json)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'")
        }
        guard ["echo", "bank"].contains(bot) else { throw ValidationError("unknown --bot '\(bot)' (echo or bank)") }
        guard ["durable", "memory"].contains(durability) else {
            throw ValidationError("unknown --durability '\(durability)' (durable or memory)")
        }
        guard dedupWindow > 0 else { throw ValidationError("--dedup-window must be at least 1 second") }
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        guard maxInFlight > 0 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard webhookReplyTimeoutMilliseconds > 0 else {
            throw ValidationError("--webhook-reply-timeout-ms must be positive")
        }
        guard OrderingPolicy(configurationName: ordering) != nil else {
            throw ValidationError("unknown --ordering '\(ordering)' (chat, user or none)")
        }
        if let url = resolvedAPIBaseURL {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
            else {
                throw ValidationError("--api-base-url must be an http or https URL, got '\(url)'")
            }
        }
        if let token = resolvedSecret {
            // Telegram's rule for setWebhook secret_token; checking it here catches a typo before deploy.
            let allowed = token.utf8.allSatisfy { b in
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45
            }
            guard (1...256).contains(token.utf8.count), allowed else {
                throw ValidationError("the secret token must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
            }
        }
    }

    private var resolvedAPIBaseURL: String? {
        if let apiBaseURL { return apiBaseURL }
        if let value = getenv("TGBOTD_API_BASE_URL"), value.pointee != 0 { return String(cString: value) }
        return nil
    }

    private var resolvedSecret: String? {
        if let secretToken { return secretToken }
        if let value = getenv("TGBOTD_SECRET_TOKEN") { return String(cString: value) }
        return nil
    }

    func run() async throws {
        let environment = Self.environment()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let forJournald = environment["JOURNAL_STREAM"] != nil
        let format = LineLogHandler.Format(rawValue: logFormat) ?? .line
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, level: level, forJournald: forJournald, format: format)
        }
        let logger = Logger(label: "tgbotd")

        var targets: [BindTarget]
        let inherited = SystemdActivation.listenDescriptors(environment: environment)
        if !inherited.isEmpty {
            targets = inherited.map { .descriptor($0) }
            logger.info("Using sockets from systemd", metadata: ["count": "\(inherited.count)"])
        } else {
            targets = [.tcp(host: host, port: port)]
            if let unixSocket { targets.append(.unix(path: unixSocket)) }
        }
        var http = HTTPServerConfiguration(bindTargets: targets, maxConnections: maxConnections)
        if let ioThreads { http.ioThreads = max(1, ioThreads) }
        http.limits.maxBodyBytes = maxBodyBytes

        let credentials = Credentials(environment: environment)
        let secret: Secret?
        let botToken: Secret?
        do {
            secret = try credentials.webhookSecret(explicit: resolvedSecret)
            botToken = try credentials.botToken()
        } catch {
            logger.error("Cannot load credentials", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let isDemo = botToken == nil
        // Demo mode has no Bot API: replies can only travel in the webhook response, so wait long enough for them.
        let replyTimeout: Duration? =
            isDemo ? .seconds(2) : (webhookReply ? .milliseconds(webhookReplyTimeoutMilliseconds) : nil)
        let configuration = BotApplicationConfiguration(
            http: http, webhookPath: webhookPath, secretToken: secret, botToken: botToken,
            maxInFlight: maxInFlight, admissionWait: .milliseconds(max(0, admissionWaitMilliseconds)), workers: workers,
            ordering: OrderingPolicy(configurationName: ordering) ?? .chat,
            webhookReplyTimeout: replyTimeout, blockedThreshold: .milliseconds(blockedThresholdMilliseconds),
            shutdownGracePeriod: .milliseconds(Int(shutdownGrace * 1000)),
            durability: durabilitySetting(environment: environment, logger: logger))
        if secret == nil {
            logger.warning("No secret token set: any client can POST updates (fine for the local demo only)")
        }
        let metrics = BotMetrics()
        let caller: any BotAPICaller
        var apiTransport: HTTPClientTransport?
        if let botToken {
            let baseURL = URL(string: resolvedAPIBaseURL ?? "") ?? BotClientConfiguration.telegramBaseURL
            // HTTP (a self-hosted Bot API server) and HTTPS (api.telegram.org, TLS via OpenSSL) both go over our own
            // event-loop client (validate() admits no other scheme).
            let transport: HTTPClientTransport
            do {
                transport = try HTTPClientTransport()
            } catch {
                logger.error("Cannot start the HTTP client", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
            apiTransport = transport
            caller = BotClient(
                token: botToken,
                configuration: BotClientConfiguration(baseURL: baseURL, observer: metrics.apiCallObserver),
                transport: transport)
            logger.info(
                "Bot API", metadata: ["api.base_url": "\(baseURL.absoluteString)", "api.transport": "httpclient"])
        } else {
            caller = DemoBotAPICaller(logger: logger)
            logger.notice(
                "Demo mode: no TELEGRAM_BOT_TOKEN, so replies come back in the webhook response (try the README's curl)"
            )
        }
        var username = botUsername
        if username == nil, botToken != nil {
            username = await Self.askUsername(caller, logger: logger)
        }
        let stateStore = try await openStateStore(configuration.durability, logger: logger)
        var dispatcher = Dispatcher(
            botUsername: username, store: stateStore ?? InMemoryStateStore(), logger: Logger(label: "tgbotd.dispatch"))
        switch bot {
        case "bank": BankBot.install(into: &dispatcher)
        default: EchoBot.install(into: &dispatcher)
        }
        let systemd = SystemdNotifier(environment: environment, logger: Logger(label: "tgbotd.systemd"))
        let app = BotApplication(
            configuration: configuration, dispatcher: dispatcher, caller: caller, logger: logger, systemd: systemd,
            metrics: metrics)
        if let stateStore, let journal = app.pipeline.journal {
            let window = journal.configuration.deduplicationWindow
            journal.addHousekeeping {
                do {
                    try await stateStore.pruneEffects(olderThan: window)
                } catch {
                    logger.warning("State effect log pruning failed", metadata: ["error": "\(error)"])
                }
            }
        }
        do {
            try await recoverJournal(app, logger: logger)
            try app.start()
        } catch let error as ExitCode {
            throw error
        } catch {
            logger.error("Cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info(
            "tgbotd ready",
            metadata: [
                "webhook": "\(webhookPath)", "listen": "\(app.server.localAddresses.joined(separator: ", "))",
                "bot": "\(bot)", "workers": "\(workers)",
            ])
        let signals = SignalWatcher { number in
            logger.info("Signal received", metadata: ["signal": "\(number == SIGTERM ? "SIGTERM" : "SIGINT")"])
            app.beginShutdown()
        }
        await app.run()
        await stateStore?.close()
        signals.cancel()
        await apiTransport?.shutdown()
    }

    /// `--durability` as a configuration, logging the mode (memory mode says what it gives up).
    private func durabilitySetting(
        environment: [String: String], logger: Logger
    ) -> BotApplicationConfiguration.Durability {
        guard durability == "durable" else {
            logger.warning(
                "Durability: memory. Accepted updates are kept only in memory; a crash or kill loses those not yet handled"
            )
            return .memory
        }
        let directory = Self.dataDirectory(explicit: dataDir, environment: environment)
        logger.info("Durability: durable", metadata: ["data_dir": "\(directory)"])
        return .durable(.init(directory: directory, deduplicationWindow: .seconds(dedupWindow)))
    }

    /// `--data-dir`, else the first of systemd's `$STATE_DIRECTORY` paths, else `./tgbotd-data`.
    static func dataDirectory(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !state.isEmpty {
            return String(state)
        }
        return "tgbotd-data"
    }

    /// The durable state store (`<data-dir>/state.sqlite3`) handlers share, or nil in memory mode. A refused file
    /// (corrupt, not ours) stops the daemon unless `--recover-corrupt-data` moves it aside; any other failure to
    /// open stops it too, with the reason (systemd's `Restart=` retries).
    private func openStateStore(
        _ durability: BotApplicationConfiguration.Durability, logger: Logger
    ) async throws -> SQLiteStateStore? {
        guard case .durable(let durable) = durability else { return nil }
        do {
            return try await SQLiteStateStore.open(directory: durable.directory)
        } catch  where recoverCorruptData && error.isPermanent {
            do {
                let movedTo = try StoreFiles.moveAside(error.path ?? "")
                logger.warning(
                    "Refused state store moved aside; starting an empty one",
                    metadata: ["error": "\(error)", "moved_to": "\(movedTo)"])
                return try await SQLiteStateStore.open(directory: durable.directory)
            } catch {
                logger.critical("Cannot replace the refused state store", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        } catch {
            let advice = error.isPermanent ? "; move it aside, or restart with --recover-corrupt-data" : ""
            logger.critical("Cannot open the state store\(advice)", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }

    /// Opens the journal and replays what a previous run left; a refused journal file stops the daemon with the
    /// reason, unless `--recover-corrupt-data` moves it aside first.
    private func recoverJournal(_ app: BotApplication, logger: Logger) async throws {
        do {
            try await app.recover()
        } catch {
            guard recoverCorruptData, let path = error.path else {
                logger.critical(
                    "The journal file is refused and was not modified; move it aside, or restart with --recover-corrupt-data",
                    metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
            do {
                let movedTo = try StoreFiles.moveAside(path)
                logger.warning(
                    "Refused journal moved aside; starting a new one",
                    metadata: ["error": "\(error)", "moved_to": "\(movedTo)"])
            } catch {
                logger.critical("Cannot move the refused journal aside", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
            do {
                try await app.recover()
            } catch {
                logger.critical("The new journal is refused too", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        }
    }

    /// Asks the Bot API who the bot is (getMe), waiting at most five seconds. A failure is not fatal: the bot still
    /// runs, but commands addressed to other bots (`/start@other_bot`) are not filtered out.
    private static func askUsername(_ caller: any BotAPICaller, logger: Logger) async -> String? {
        let result = await withTaskGroup(of: Result<String?, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await caller.getMe().username) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch result {
        case .success(let name)?:
            logger.info("Bot identity", metadata: ["bot.username": "\(name ?? "none")"])
            return name
        case .failure(let error)?:
            logger.warning(
                "getMe failed; /cmd@other_bot commands will not be filtered", metadata: ["error": "\(error)"])
        case nil:
            logger.warning("getMe did not answer within 5 s; /cmd@other_bot commands will not be filtered")
        }
        return nil
    }

    /// Every setting of `serve`, for the configuration file and the `TGBOTD_*` variables.
    static let settings: [SettingsSources.Setting] = [
        .init("host"), .init("port"), .init("unix-socket"), .init("webhook-path"), .init("secret-token"),
        .init("max-body-bytes"), .init("io-threads"), .init("max-connections"), .init("bot"), .init("workers"),
        .init("max-in-flight"), .init("admission-wait-ms"), .init("webhook-reply", isFlag: true),
        .init("webhook-reply-timeout-ms"), .init("ordering"), .init("api-base-url"), .init("bot-username"),
        .init("blocked-threshold-ms"), .init("shutdown-grace"), .init("log-level"), .init("log-format"),
        .init("data-dir"), .init("durability"), .init("dedup-window"), .init("recover-corrupt-data", isFlag: true),
    ]

    /// `["serve", …]` with the configuration file's and the environment's settings inserted before the user's
    /// own arguments, so that a flag wins over `TGBOTD_*`, which wins over the file.
    static func expandingSettings(_ arguments: [String], environment: [String: String]) throws -> [String] {
        var configPath = environment["TGBOTD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        for (index, argument) in arguments.enumerated() {
            if argument == "--config", index + 1 < arguments.count { configPath = arguments[index + 1] }
            if argument.hasPrefix("--config=") { configPath = String(argument.dropFirst("--config=".count)) }
        }
        var configText: String?
        if let configPath {
            guard let data = FileManager.default.contents(atPath: configPath) else {
                throw ValidationError("cannot read the settings file \(configPath)")
            }
            configText = String(decoding: data, as: UTF8.self)
        }
        let injected = try SettingsSources(settings: settings).arguments(
            environment: environment, configText: configText, configPath: configPath ?? "config")
        return [arguments[0]] + injected + arguments.dropFirst()
    }

    private static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
