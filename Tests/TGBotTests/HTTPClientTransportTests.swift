import Foundation
import TGBot
import TGBotAPI
import TGBotHTTP
import TGBotTesting
import TGBotTypes
import Testing

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTransportTests {
    private func withTransport<T>(_ body: (HTTPClientTransport) async throws -> T) async throws -> T {
        let transport = try HTTPClientTransport()
        do {
            let result = try await body(transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    @Test func sendMessageRoundTrip() async throws {
        try await withFakeBotAPIServer { server in
            try await withTransport { transport in
                let bot = BotClient(
                    token: Secret(server.token), configuration: BotClientConfiguration(baseURL: server.baseURL),
                    transport: transport)
                for i in 0..<3 {
                    let message = try await bot.sendMessage(chatID: .id(42), text: "hi \(i)")
                    #expect(message.chat.id == 42)
                    #expect(message.text == "hi \(i)")
                }
                let calls = server.calls(to: "sendMessage")
                #expect(calls.count == 3)
                #expect(calls.first?.parameters?["text"] == .string("hi 0"))
                #expect(calls.first?.contentType?.hasPrefix("application/json") == true)
            }
        }
    }

    @Test func apiErrorIsMapped() async throws {
        let responder: FakeBotAPIServer.Responder = { _ in
            FakeResponse.error(code: 403, description: "Forbidden: bot was blocked by the user")
        }
        try await withFakeBotAPIServer(responder: responder) { server in
            try await withTransport { transport in
                let bot = BotClient(
                    token: Secret(server.token), configuration: BotClientConfiguration(baseURL: server.baseURL),
                    transport: transport)
                let error = await #expect(throws: BotAPIError.self) {
                    try await bot.sendMessage(chatID: .id(7), text: "x")
                }
                #expect(error?.kind == .api)
                #expect(error?.errorCode == 403)
            }
        }
    }

    @Test func connectionRefusedIsATransportErrorWithoutTheToken() async throws {
        let token = "987654:SECRET-token-value"
        let port = try await withFakeBotAPIServer { server in server.port }
        try await withTransport { transport in
            let bot = BotClient(
                token: Secret(token),
                configuration: BotClientConfiguration(baseURL: URL(string: "http://127.0.0.1:\(port)")!),
                transport: transport)
            let error = await #expect(throws: BotAPIError.self) { try await bot.getMe() }
            #expect(error?.kind == .transport)
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("SECRET") == false)
            #expect(text.contains("connect") == true)
        }
    }
}
