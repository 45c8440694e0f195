import Foundation
import Logging
import TGBotAPI
import TGBotTesting
import TGBotTypes

/// Runs `body` with a ``BotClient`` talking to a fresh ``FakeBotAPIServer`` over real HTTP on 127.0.0.1.
func withClient<T>(
    token: String = FakeBotAPIServer.defaultToken,
    logger: Logger = Logger(label: "tgbotd.api", factory: { _ in SwiftLogNoOpLogHandler() }),
    observer: (@Sendable (BotCallObservation) -> Void)? = nil,
    responder: FakeBotAPIServer.Responder? = nil,
    _ body: (BotClient, FakeBotAPIServer) async throws -> T
) async throws -> T {
    try await withFakeBotAPIServer(token: token, responder: responder) { server in
        let configuration = BotClientConfiguration(
            baseURL: server.baseURL, requestTimeout: .seconds(20), logger: logger, observer: observer)
        return try await body(BotClient(token: Secret(token), configuration: configuration), server)
    }
}

/// The only call the server recorded; fails the test if there is not exactly one.
func onlyCall(_ server: FakeBotAPIServer) -> RecordedCall? {
    let calls = server.calls
    return calls.count == 1 ? calls[0] : nil
}

/// Bytes of a fake PNG (content does not matter, only that it survives the trip unchanged).
let samplePNG = Data(
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0x2D, 0x2D, 0x0D, 0x0A] + Array(0..<200))
