import ArgumentParser
import Logging
import TGBot
import TGBotHTTP
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
            With no options it runs a local demo bot on 127.0.0.1:8080 that accepts updates POSTed to \
            /telegram and logs them; no bot token is needed. Under systemd socket activation (LISTEN_FDS) \
            it serves the inherited sockets instead of --host/--port/--unix-socket.

            Environment: TGBOTD_SECRET_TOKEN (same as --secret-token), TELEGRAM_BOT_TOKEN (the bot token).
            """
    )

    @Option(help: "Address to listen on (IPv4 or IPv6).")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .customLong("unix-socket"), help: ArgumentHelp("Also listen on a Unix domain socket at this path.", valueName: "path"))
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

    @Option(name: .customLong("max-pending-updates"), help: "Bound on accepted updates awaiting processing.")
    var maxPendingUpdates: Int = 1024

    @Option(name: .customLong("shutdown-grace"), help: "Seconds to finish in-flight work on SIGTERM/SIGINT.")
    var shutdownGrace: Double = 10

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard webhookPath.hasPrefix("/") else { throw ValidationError("--webhook-path must start with '/'") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
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

    private var resolvedSecret: String? {
        if let secretToken { return secretToken }
        if let value = getenv("TGBOTD_SECRET_TOKEN") { return String(cString: value) }
        return nil
    }

    func run() async throws {
        let environment = Self.environment()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let forJournald = environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, level: level, forJournald: forJournald) }
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

        let secret = resolvedSecret.map(Secret.init)
        let botToken = environment["TELEGRAM_BOT_TOKEN"].map(Secret.init)
        let configuration = BotApplicationConfiguration(
            http: http, webhookPath: webhookPath, secretToken: secret, botToken: botToken,
            maxPendingUpdates: maxPendingUpdates, shutdownGracePeriod: .milliseconds(Int(shutdownGrace * 1000)))
        if secret == nil {
            logger.warning("No secret token set: any client can POST updates (fine for the local demo only)")
        }
        let demoLogger = logger
        let app = BotApplication(configuration: configuration, logger: logger) { update in
            demoLogger.info(
                "Update received", metadata: ["update.id": "\(update.updateID)", "update.bytes": "\(update.body.count)"])
        }
        do {
            try app.start()
        } catch {
            logger.error("Cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info(
            "tgbotd ready",
            metadata: ["webhook": "\(webhookPath)", "listen": "\(app.server.localAddresses.joined(separator: ", "))"])
        let signals = SignalWatcher { number in
            logger.info("Signal received", metadata: ["signal": "\(number == SIGTERM ? "SIGTERM" : "SIGINT")"])
            app.beginShutdown()
        }
        await app.run()
        signals.cancel()
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
