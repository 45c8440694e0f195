import Foundation
import TGBotAPI
import TGBotTesting
import TGBotTypes
import Testing

/// `send` (replies) checks Telegram's answer like `call` but does not decode the result.
@Suite(.timeLimit(.minutes(1)))
struct ClientSendTests {
    @Test func sendAcceptsAnyResultShapeButCallDecodesIt() async throws {
        let oddResult: FakeBotAPIServer.Responder = { _ in
            FakeResponse(status: 200, body: Array(#"{"ok":true,"result":{"not":"a message"}}"#.utf8))
        }
        try await withClient(responder: oddResult) { client, server in
            try await client.send(SendMessageParameters(chatID: .id(1), text: "hi"))
            await #expect(throws: BotAPIError.self) {
                _ = try await client.call(SendMessageParameters(chatID: .id(1), text: "hi"))
            }
            #expect(server.callCount("sendMessage") == 2)
        }
    }

    @Test func sendMapsTelegramErrorsLikeCall() async throws {
        let forbidden: FakeBotAPIServer.Responder = { _ in
            .error(code: 403, description: "Forbidden: bot was blocked by the user")
        }
        try await withClient(responder: forbidden) { client, _ in
            do {
                try await client.send(SendMessageParameters(chatID: .id(1), text: "hi"))
                Issue.record("a refused reply must throw")
            } catch let error as BotAPIError {
                #expect(error.kind == .api)
                #expect(error.errorCode == 403)
            }
        }
    }
}
