import TGBotHTTP

/// Runs `body` against a live ``HTTPServer`` bound to an ephemeral port on 127.0.0.1, then shuts it down
/// gracefully — even when `body` throws.
public func withTestServer<T>(
    configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
    router: Router,
    _ body: (HTTPServer, Int) async throws -> T
) async throws -> T {
    var configuration = configuration
    if configuration.bindTargets == [.tcp(host: "127.0.0.1", port: 8080)] {
        configuration.bindTargets = [.tcp(host: "127.0.0.1", port: 0)]
    }
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    do {
        let result = try await body(server, server.port ?? 0)
        await server.shutdown(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        throw error
    }
}
