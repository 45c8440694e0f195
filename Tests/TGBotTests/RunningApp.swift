import TGBot
import TGBotHTTP

/// Runs a started `app` around `body` (given the app and its TCP port), then shuts it down gracefully, also
/// when `body` throws.
func runWhileServing(
    _ app: BotApplication, _ body: (BotApplication, Int) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await app.run() }
        do {
            try await body(app, app.server.port!)
        } catch {
            app.beginShutdown()
            throw error
        }
        app.beginShutdown()
        try await group.waitForAll()
    }
}
