import ArgumentParser
import FoundationEssentials
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotTypes

/// `tgbotd webhook set`: register the webhook with Telegram (setWebhook).
struct WebhookSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Register the webhook URL with Telegram (setWebhook).",
        discussion: """
            The secret token is --secret-token, else $TGBOTD_SECRET_TOKEN, else \
            $CREDENTIALS_DIRECTORY/webhook-secret; with none of them a random 48-character secret is generated \
            and printed once on standard output — give the same value to the daemon (TGBOTD_SECRET_TOKEN or the \
            webhook-secret credential). allowed_updates defaults to the update kinds the handlers of --bot can \
            match (a catch-all handler means every kind).
            """
    )

    @OptionGroup var api: BotAPIOptions

    @Option(help: ArgumentHelp("The public HTTPS URL of the webhook path.", valueName: "url"))
    var url: String

    @Option(
        name: .customLong("secret-token"),
        help: ArgumentHelp("The secret Telegram sends back (1-256 of A-Z a-z 0-9 _ -).", valueName: "token"))
    var secretToken: String?

    @Option(name: .customLong("max-connections"), help: "Most simultaneous connections from Telegram (1-100).")
    var maxConnections: Int?

    @Flag(name: .customLong("drop-pending-updates"), help: "Drop the updates Telegram has queued.")
    var dropPendingUpdates = false

    @Option(help: ArgumentHelp("Upload this self-signed certificate (PEM).", valueName: "file"))
    var certificate: String?

    @Option(
        name: .customLong("allowed-updates"),
        help: ArgumentHelp("Comma-separated update kinds; default: derived from --bot's handlers.", valueName: "kinds"))
    var allowedUpdates: String?

    @Option(help: "The bot whose handlers decide allowed_updates: echo or bank.")
    var bot: ExampleBotChoice = .echo

    func run() async throws {
        let token = try requireToken(api)
        let given: Secret?
        do {
            given = try OperatorCredentials(environment: api.environment).webhookSecret(flag: secretToken)?.0
        } catch {
            throw ValidationError("\(error)")
        }
        let kinds =
            allowedUpdates.map { $0.split(separator: ",").map { Self.trimmingBlanks($0) } }
            ?? bot.dispatcher.handledKinds
        let registration: WebhookRegistration
        do {
            registration = try WebhookRegistration(
                url: url, secretToken: given, allowedUpdates: kinds, maxConnections: maxConnections,
                dropPendingUpdates: dropPendingUpdates, certificate: try certificate.map(Self.readCertificate))
        } catch let error as WebhookRegistration.InvalidError {
            throw ValidationError(error.description)
        }
        let session = try api.makeSession(token: token)
        do {
            try await registration.register(with: session.client)
            await session.shutdown()
        } catch {
            await session.shutdown()
            StandardStreams.writeError("\(error)\n")
            throw ExitCode.failure
        }
        print("Webhook set: \(url)")
        print("allowed_updates: \(kinds.joined(separator: ","))")
        if registration.isSecretGenerated {
            print("Generated secret token, shown once. Give the daemon the same value: the webhook-secret credential")
            print("(/etc/tgbotd/webhook-secret, mode 0600, LoadCredential=) or TGBOTD_SECRET_TOKEN:")
            print(registration.secretToken.reveal())
        }
    }

    /// `text` without leading and trailing spaces and tabs (`--allowed-updates "message, callback_query"`).
    static func trimmingBlanks(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[first...last])
    }

    /// The certificate file as the `certificate` upload.
    static func readCertificate(_ path: String) throws -> InputFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the certificate file \(path)")
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return InputFile(
            attachmentName: "certificate", filename: name, contentType: "application/x-pem-file", data: data)
    }
}
