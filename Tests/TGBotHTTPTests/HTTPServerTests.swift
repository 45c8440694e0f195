import Synchronization
import TGBotTesting
import Testing

@testable import TGBotHTTP

#if canImport(Glibc)
import Glibc
#endif

/// A router with an echo route, a slow route and a fixed route, shared by the live-server tests.
private func makeRouter(slowGate: TestGate? = nil) -> Router {
    var router = Router()
    router.on(.post, "/echo") { request in HTTPResponse(status: .ok, headers: [:], body: request.body) }
    router.on(.get, "/hello") { request in HTTPResponse(status: .ok, text: "hello \(request.path)\n") }
    router.on(.get, "/slow") { _ in
        await slowGate?.wait()
        return HTTPResponse(status: .ok, text: "slow done\n")
    }
    return router
}

/// The calling thread's name, from `/proc/thread-self/comm` (empty if unreadable).
private func currentThreadName() -> String {
    let fd = open("/proc/thread-self/comm", O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 32)
    let count = read(fd, &bytes, bytes.count)
    guard count > 0 else { return "" }
    return String(decoding: bytes[0..<count].filter { $0 != 0x0A }, as: UTF8.self)
}

/// Polls `condition` every 10 ms for at most `seconds`.
func eventually(seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<Int(seconds * 100) {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

@Suite(.timeLimit(.minutes(1)))
struct HTTPServerTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            for i in 0..<20 {
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(String(i).count)\r\n\r\n\(i)")
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "\(i)")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Date") != nil)
            }
        }
    }

    @Test func iterationEndHookRunsOnTheIOThreadsWhileServing() async throws {
        final class Calls: Sendable {
            let count = Atomic<Int>(0)
            let onLoopThread = Atomic<Bool>(true)
        }
        let calls = Calls()
        var configuration = HTTPServerConfiguration(ioThreads: 1)
        configuration.onIterationEnd = {
            calls.count.add(1, ordering: .relaxed)
            if !currentThreadName().hasPrefix("tgbotd-io-") { calls.onLoopThread.store(false, ordering: .relaxed) }
        }
        try await withTestServer(configuration: configuration, router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            for i in 0..<3 {
                let before = calls.count.load(ordering: .relaxed)
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\n\(i)")
                let response = try await client.readResponse()
                #expect(response.bodyText == "\(i)")
                // The loop keeps iterating (requests, ticks), and each iteration ends with the hook.
                #expect(await eventually { calls.count.load(ordering: .relaxed) > before })
            }
        }
        let onLoopThread = calls.onLoopThread.load(ordering: .relaxed)
        #expect(onLoopThread)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            var burst = ""
            for i in 0..<50 {
                burst += "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(String(i).count)\r\n\r\n\(i)"
            }
            burst += "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
            try client.send(burst)
            for i in 0..<50 { #expect(try await client.readResponse().bodyText == "\(i)") }
            #expect(try await client.readResponse().bodyText == "hello /hello\n")
        }
    }

    @Test func chunkedRequestBodyIsReassembled() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n")
            try client.send("5;name=v\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "Wikipedia in\r\n\r\nchunks.")
        }
    }

    @Test func expectContinueGetsInterimResponse() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await client.readResponse(expectBody: false)
            #expect(interim.status == 100)
            try client.send("hello")
            #expect(try await client.readResponse().bodyText == "hello")
            // An unknown path is refused before the body is sent, and the connection closes.
            try client.send("POST /missing HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let refused = try await client.readResponse()
            #expect(refused.status == 404)
            #expect(refused.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test func headOmitsBodyButKeepsLength() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await client.readResponse(expectBody: false)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "13")
            let get = try await client.readResponse()
            #expect(get.bodyText == "hello /hello\n")
        }
    }

    @Test func http10ClosesUnlessKeepAlive() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try await client.readResponse()
            #expect(first.header("Connection") == "keep-alive")
            try client.send("GET /hello HTTP/1.0\r\n\r\n")
            let second = try await client.readResponse()
            #expect(second.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    static let statusCases: [(String, Int)] = [
        ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n", 431),
        ("GET /hello HTTP/1.1\r\nHost: t\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("POST /echo HTTP/1.1\r\nHost: t\r\n\r\n", 411),
        ("GARBAGE\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("GET /hello HTTP/1.1\r\n\r\n", 400),
        ("GET /hello HTTP/3.0\r\nHost: t\r\n\r\n", 505),
    ]

    @Test(arguments: statusCases)
    func limitViolationsGetStatusAndClose(_ request: String, _ status: Int) async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(request)
            let response = try await client.readResponse()
            #expect(response.status == status)
            #expect(response.header("Connection") == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test func configurableBodyLimit() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.limits.maxBodyBytes = 10
        try await withTestServer(configuration: configuration, router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world")
            #expect(try await client.readResponse().status == 413)
            let ok = try RawHTTPClient(port: port)
            try ok.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhelloworld")
            #expect(try await ok.readResponse().status == 200)
        }
    }

    @Test func unknownPathAndMethodKeepTheConnection() async throws {
        try await withTestServer(router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 404)
            try client.send("DELETE /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 405)
            #expect(response.header("Allow") == "POST")
            try client.send("PUT /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx")
            #expect(try await client.readResponse().header("Allow") == "GET, HEAD")
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test func slowlorisIsClosedWithinHeaderTimeout() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.headerTimeout = .milliseconds(500)
        try await withTestServer(configuration: configuration, router: makeRouter()) { _, port in
            let client = try RawHTTPClient(port: port)
            let start = ContinuousClock.now
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
            // Trickle one header byte every 100 ms: each byte is progress, but the head never completes in time.
            var closedWith408 = false
            for _ in 0..<30 {
                try? await Task.sleep(for: .milliseconds(100))
                if (try? client.send("X")) == nil { break }
                if ContinuousClock.now - start > .seconds(1) { break }
            }
            if let response = try? await client.readResponse() { closedWith408 = response.status == 408 }
            #expect(closedWith408)
            #expect(await client.waitForClose())
            // The 408 already proves the header timer fired while bytes kept arriving; this only guards against a
            // connection that is never closed, with room for a loaded machine (no tight timing assertions).
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    @Test func slowBodyAndIdleKeepAliveAreClosed() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.bodyTimeout = .milliseconds(400)
        configuration.idleTimeout = .milliseconds(400)
        try await withTestServer(configuration: configuration, router: makeRouter()) { server, port in
            let slow = try RawHTTPClient(port: port)
            try slow.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try await slow.readResponse().status == 408)
            let idle = try RawHTTPClient(port: port)
            try idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await idle.readResponse().status == 200)
            let start = ContinuousClock.now
            #expect(await idle.waitForClose())
            #expect(
                ContinuousClock.now - start < .seconds(15), "closed by the 500 ms idle timeout, not the 75 s default")
            #expect(await eventually { server.openConnectionCount == 0 })
        }
    }

    @Test func twoHundredConcurrentConnections() async throws {
        try await withTestServer(router: makeRouter()) { server, port in
            let clients = try (0..<200).map { _ in try RawHTTPClient(port: port) }
            for (i, client) in clients.enumerated() {
                try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(String(i).count)\r\n\r\n\(i)")
            }
            #expect(await eventually { server.openConnectionCount == 200 })
            for (i, client) in clients.enumerated() {
                #expect(try await client.readResponse().bodyText == "\(i)")
            }
        }
    }

    @Test func connectionsAreSpreadEvenlyAcrossLoops() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.ioThreads = 2
        try await withTestServer(configuration: configuration, router: makeRouter()) { server, port in
            var clients: [RawHTTPClient] = []
            for _ in 0..<20 {
                let client = try RawHTTPClient(port: port)
                try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
                clients.append(client)
            }
            let perLoop = server.connectionsPerLoop
            #expect(perLoop.reduce(0, +) == 20)
            #expect(perLoop.count == 2 && abs(perLoop[0] - perLoop[1]) <= 1, "\(perLoop)")
        }
    }

    @Test func connectionsOverTheCapAreRefused() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.maxConnections = 3
        try await withTestServer(configuration: configuration, router: makeRouter()) { server, port in
            let held = try (0..<3).map { _ in try RawHTTPClient(port: port) }
            #expect(await eventually { server.openConnectionCount == 3 })
            let extra = try RawHTTPClient(port: port)
            let refused = try await extra.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(await extra.waitForClose())
            try held[0].send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await held[0].readResponse().status == 200)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequest() async throws {
        let gate = TestGate()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)]),
            router: makeRouter(slowGate: gate))
        try server.start()
        let port = try #require(server.port)
        let busy = try RawHTTPClient(port: port)
        let idle = try RawHTTPClient(port: port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await eventually { gate.arrived == 1 })
        async let shutdown: Void = server.shutdown(gracePeriod: .seconds(10))
        #expect(await idle.waitForClose(), "idle connections close at once")
        // The listener closes once every loop has stopped accepting: new connections are then refused.
        #expect(
            await eventually { (try? RawHTTPClient(port: port, timeout: .milliseconds(200))) == nil },
            "no longer accepting")
        gate.open()
        let response = try await busy.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "slow done\n")
        #expect(response.header("Connection") == "close")
        await shutdown
        #expect(server.openConnectionCount == 0)
    }

    @Test func shutdownDeadlineClosesStuckRequests() async throws {
        let gate = TestGate()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)]),
            router: makeRouter(slowGate: gate))
        try server.start()
        let client = try RawHTTPClient(port: try #require(server.port))
        try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await eventually { gate.arrived == 1 })
        let start = ContinuousClock.now
        await server.shutdown(gracePeriod: .milliseconds(300))
        #expect(
            ContinuousClock.now - start < .seconds(15), "shutdown returned at its deadline despite the stuck handler")
        #expect(await client.waitForClose())
        gate.open()
    }

    @Test func servesUnixSocketAndIPv6() async throws {
        let path = "/tmp/tgbotd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        var configuration = HTTPServerConfiguration(bindTargets: [.unix(path: path), .tcp(host: "::1", port: 0)])
        configuration.ioThreads = 1
        try await withTestServer(configuration: configuration, router: makeRouter()) { server, port in
            let unix = try RawHTTPClient(unixPath: path)
            try unix.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await unix.readResponse().status == 200)
            let v6 = try RawHTTPClient(host: "::1", port: port)
            try v6.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await v6.readResponse().status == 200)
            #expect(server.localAddresses.contains("unix:\(path)"))
        }
        #expect(access(path, F_OK) != 0, "socket file removed on shutdown")
    }

    @Test func handlerErrorsBecomeResponses() async throws {
        struct Teapot: HTTPResponseError {
            var status: HTTPStatus { HTTPStatus(code: 418, reasonPhrase: "I'm a teapot") }
        }
        struct Opaque: Error {}
        var router = Router()
        router.on(.get, "/teapot") { _ in throw Teapot() }
        router.on(.get, "/boom") { _ in throw Opaque() }
        try await withTestServer(router: router) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /teapot HTTP/1.1\r\nHost: t\r\n\r\nGET /boom HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 418)
            #expect(try await client.readResponse().status == 500)
        }
    }

    @Test func bindFailureNamesAddressAndErrno() throws {
        let first = HTTPServer(
            configuration: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)]), router: Router())
        try first.start()
        defer { Task { await first.shutdown() } }
        let second = HTTPServer(
            configuration: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: first.port!)]),
            router: Router())
        #expect {
            try second.start()
        } throws: { error in
            "\(error)".contains("bind(127.0.0.1:\(first.port!))") && "\(error)".contains("errno 98")
        }
    }
}
