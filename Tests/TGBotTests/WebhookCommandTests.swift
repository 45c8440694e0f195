import Foundation
import TGBot
import TGBotAPI
import TGBotDispatch
import TGBotExamples
import TGBotHTTP
import TGBotTesting
import TGBotTypes
import Testing

@Suite(.timeLimit(.minutes(1)))
struct WebhookCommandTests {
    /// Registers `registration` with a started fake Bot API server and returns the recorded setWebhook call.
    static func register(_ registration: WebhookRegistration) async throws -> RecordedCall {
        let transport = try HTTPClientTransport()
        do {
            let call = try await withFakeBotAPIServer { server in
                let client = BotClient(
                    token: Secret(server.token), configuration: BotClientConfiguration(baseURL: server.baseURL),
                    transport: transport)
                try await registration.register(with: client)
                return try #require(server.calls(to: "setWebhook").first)
            }
            await transport.shutdown()
            return call
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    static func handledKinds(_ install: (inout Dispatcher) -> Void) -> [String] {
        var dispatcher = Dispatcher()
        install(&dispatcher)
        return dispatcher.handledKinds
    }

    @Test func setWebhookSendsEveryParameter() async throws {
        let registration = try WebhookRegistration(
            url: "https://bot.example.com/telegram", secretToken: Secret("given_secret-123"),
            allowedUpdates: Self.handledKinds { BankBot.install(into: &$0) }, maxConnections: 10,
            dropPendingUpdates: true)
        let call = try await Self.register(registration)
        #expect(call["url"] == .string("https://bot.example.com/telegram"))
        #expect(call["secret_token"] == .string("given_secret-123"))
        #expect(call["allowed_updates"] == .array([.string("message")]))
        #expect(call["max_connections"] == .integer(10))
        #expect(call["drop_pending_updates"] == .bool(true))
        #expect(call["certificate"] == nil)
        #expect(!registration.isSecretGenerated)
    }

    @Test func generatedSecretIsSentAndOptionalParametersLeftOut() async throws {
        let registration = try WebhookRegistration(
            url: "https://bot.example.com:8443/hook", secretToken: nil, allowedUpdates: ["message", "callback_query"])
        #expect(registration.isSecretGenerated)
        let secret = registration.secretToken.reveal()
        #expect(secret.count == WebhookSecret.generatedLength)
        #expect(WebhookSecret.isValid(secret))
        let call = try await Self.register(registration)
        #expect(call["secret_token"] == .string(secret))
        #expect(call["allowed_updates"] == .array([.string("message"), .string("callback_query")]))
        #expect(call["max_connections"] == nil)
        #expect(call["drop_pending_updates"] == nil)
    }

    @Test func certificateIsUploaded() async throws {
        let pem = Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)
        let registration = try WebhookRegistration(
            url: "https://203.0.113.7/telegram", secretToken: Secret("s"), allowedUpdates: nil,
            certificate: InputFile(attachmentName: "certificate", filename: "cert.pem", data: pem))
        let call = try await Self.register(registration)
        #expect(call.isMultipart)
        #expect(call.files["certificate"]?.data == Array(pem))
        #expect(call["url"] == .string("https://203.0.113.7/telegram"))
    }

    @Test func invalidChoicesAreRefusedBeforeAnyCall() {
        let refused: [() throws -> WebhookRegistration] = [
            { try WebhookRegistration(url: "http://bot.example.com/t", secretToken: nil, allowedUpdates: nil) },
            { try WebhookRegistration(url: "https://bot.example.com:8080/t", secretToken: nil, allowedUpdates: nil) },
            { try WebhookRegistration(url: "not a url", secretToken: nil, allowedUpdates: nil) },
            {
                try WebhookRegistration(
                    url: "https://bot.example.com/t", secretToken: nil, allowedUpdates: nil, maxConnections: 101)
            },
            {
                try WebhookRegistration(
                    url: "https://bot.example.com/t", secretToken: Secret("a b"), allowedUpdates: nil)
            },
            { try WebhookRegistration(url: "https://bot.example.com/t", secretToken: nil, allowedUpdates: ["mesage"]) },
        ]
        for make in refused {
            #expect(throws: WebhookRegistration.InvalidError.self) { try make() }
        }
    }

    @Test func generatedSecretsUseTelegramsAlphabet() {
        var seen: Set<String> = []
        var characters: Set<Character> = []
        for _ in 0..<200 {
            let secret = WebhookSecret.generate()
            #expect(secret.count == 48)
            #expect(secret.allSatisfy { WebhookSecret.alphabet.contains($0) })
            characters.formUnion(secret)
            seen.insert(secret)
        }
        #expect(seen.count == 200)
        // 9,600 draws from 64 symbols: every symbol shows up unless the generator is biased or broken.
        #expect(characters.count == 64)
        #expect(WebhookSecret.alphabet.count == 64)
        #expect(WebhookSecret.generate(length: 32).count == 32)
        #expect(WebhookSecret.generate(length: 1000).count == 256)
    }

    @Test func secretValidation() {
        #expect(WebhookSecret.isValid("A-z_09"))
        #expect(!WebhookSecret.isValid(""))
        #expect(!WebhookSecret.isValid("with space"))
        #expect(!WebhookSecret.isValid("dot."))
        #expect(WebhookSecret.isValid(String(repeating: "a", count: 256)))
        #expect(!WebhookSecret.isValid(String(repeating: "a", count: 257)))
    }

    @Test func allowedUpdatesOfTheExampleBots() {
        #expect(Self.handledKinds { EchoBot.install(into: &$0) } == ["message"])
        #expect(Self.handledKinds { BankBot.install(into: &$0) } == ["message"])
    }

    @Test func allowedUpdatesFollowHandlerKinds() {
        let kinds = Self.handledKinds { dispatcher in
            dispatcher.chatMember { _, _ in }
            dispatcher.callbackQuery(data: "buy:") { _, _ in }
            dispatcher.command("start", filter: .chatType(.private)) { _, _ in }
            dispatcher.editedMessage(.text) { _, _ in }
            dispatcher.unknownKind { _, _ in }
            dispatcher.undecodable { _, _ in }
        }
        #expect(kinds == ["message", "edited_message", "callback_query", "chat_member"])
        #expect(Self.handledKinds { _ in } == [])
    }

    @Test func catchAllHandlersMeanEveryKind() {
        let all = Update.Kind.knownNames
        #expect(
            Self.handledKinds {
                $0.message { _, _ in }; $0.any { _ in }
            } == all)
        #expect(Self.handledKinds { $0.on(.text) { _ in } } == all)
        #expect(Self.handledKinds { $0.on(!.kind { $0.name == "poll" ? 1 : nil }) { _ in } } == all)
        var dispatcher = Dispatcher()
        dispatcher.on({ if case .poll(let p) = $0 { p } else { nil } }, name: "custom") { _, _ in }
        #expect(dispatcher.handledKinds == all)  // a custom extractor without `kinds:` may match anything
        #expect(dispatcher.hasCatchAllHandler)
    }

    @Test func filterKindNamesCombine() {
        let message = Filter.kind({ if case .message(let m) = $0 { m } else { nil } }, names: ["message"])
        let poll = Filter.kind({ if case .poll(let p) = $0 { p } else { nil } }, names: ["poll"])
        #expect((message && .text).kindNames == ["message"])
        #expect((message && poll).kindNames == [])
        #expect((message || poll).kindNames == ["message", "poll"])
        #expect((message || .text).kindNames == nil)
        #expect((!message).kindNames == nil)
        #expect(Filter.none.kindNames == [])
        #expect(Filter.all.kindNames == nil)
    }

    @Test func webhookInfoSummaryShowsErrorAge() {
        let info = WebhookInfo(
            url: "https://bot.example.com/telegram", hasCustomCertificate: false, pendingUpdateCount: 3,
            ipAddress: "203.0.113.7", lastErrorDate: 1_700_000_000,
            lastErrorMessage: "Wrong response from the webhook: 503",
            maxConnections: 40, allowedUpdates: ["message"])
        let lines = info.summaryLines(now: Date(timeIntervalSince1970: 1_700_000_000 + 3 * 86400 + 7200))
        #expect(lines.contains("url: https://bot.example.com/telegram"))
        #expect(lines.contains("pending_update_count: 3"))
        #expect(lines.contains("last_error_message: Wrong response from the webhook: 503 (3d 2h ago)"))
        #expect(lines.contains("max_connections: 40"))
        #expect(lines.contains("allowed_updates: message"))
        #expect(lines.contains("ip_address: 203.0.113.7"))
    }

    @Test func credentialsLookupOrder() throws {
        let directory = NSTemporaryDirectory() + "tgbotd-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("1:from-credential\n".utf8).write(to: URL(fileURLWithPath: directory + "/telegram-bot-token"))
        try Data("secret_from_credential\n".utf8).write(to: URL(fileURLWithPath: directory + "/webhook-secret"))
        try Data(" 2:from-file \n".utf8).write(to: URL(fileURLWithPath: directory + "/other"))
        let onlyCredentials = OperatorCredentials(environment: ["CREDENTIALS_DIRECTORY": directory])
        #expect(try onlyCredentials.token()?.0.reveal() == "1:from-credential")
        #expect(try onlyCredentials.token()?.1 == .file(directory + "/telegram-bot-token"))
        #expect(try onlyCredentials.webhookSecret()?.0.reveal() == "secret_from_credential")
        let withEnvironment = OperatorCredentials(environment: [
            "CREDENTIALS_DIRECTORY": directory, "TELEGRAM_BOT_TOKEN": "3:from-env", "TGBOTD_SECRET_TOKEN": "env_secret",
        ])
        #expect(try withEnvironment.token()?.0.reveal() == "3:from-env")
        #expect(try withEnvironment.token(tokenFile: directory + "/other")?.0.reveal() == "2:from-file")
        #expect(try withEnvironment.webhookSecret()?.0.reveal() == "env_secret")
        #expect(try withEnvironment.webhookSecret(flag: "flag_secret")?.1 == .flag("--secret-token"))
        #expect(try OperatorCredentials(environment: [:]).token() == nil)
        #expect(throws: OperatorCredentials.ReadError.self) {
            try withEnvironment.token(tokenFile: directory + "/missing")
        }
    }
}
