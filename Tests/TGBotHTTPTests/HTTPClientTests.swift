import Foundation
import Synchronization
import TGBotTesting
import Testing

@testable import TGBotHTTP

#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking TCP server on 127.0.0.1 for responses our `HTTPServer` never sends (chunked, read-until-close,
/// a connection dropped mid-exchange). Each connection runs on a thread of its own (never the cooperative pool);
/// `script(connection, request)` returns the raw bytes to answer with and whether to close afterwards, or nil to
/// close without answering. Reads time out after 5 s, so a test cannot hang on it. Its blocking calls run on
/// threads of their own: parked on Dispatch's global queue they would hold the workers the cooperative pool
/// also needs here.
private final class ScriptedServer: Sendable {
    typealias Script = @Sendable (_ connection: Int, _ request: Int) -> (response: String, close: Bool)?

    let port: Int
    private let fd: Int32
    private let script: Script
    private let acceptedCount = Atomic<Int>(0)

    init(script: @escaping Script) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(s, raw, length) == 0 && listen(s, 64) == 0 && getsockname(s, raw, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(s)
            throw SocketError("bind", errno: errno)
        }
        fd = s
        port = Int(UInt16(bigEndian: address.sin_port))
        self.script = script
        Thread.detachNewThread { self.acceptLoop() }
    }

    /// Connections accepted so far.
    var accepted: Int { acceptedCount.load(ordering: .relaxed) }

    func stop() {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    private func acceptLoop() {
        for _ in 0..<1000 {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            let index = acceptedCount.add(1, ordering: .relaxed).oldValue
            var tv = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            Thread.detachNewThread { self.serve(client, index: index) }
        }
    }

    private func serve(_ client: Int32, index: Int) {
        defer { Glibc.close(client) }
        var buffer: [UInt8] = []
        for request in 0..<100 {
            guard Self.readRequest(client, &buffer) else { return }
            guard let (response, close) = script(index, request) else { return }
            let bytes = Array(response.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if close { return }
        }
    }

    /// Reads one request (head and Content-Length content) into nothing; false on EOF or timeout.
    private static func readRequest(_ client: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = find(buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self).lowercased()
                var length = 0
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst(15).trimmingPrefix(" ")) ?? 0
                }
                if buffer.count >= end + 4 + length {
                    buffer.removeFirst(end + 4 + length)
                    return true
                }
            }
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    private static func find(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4)
        where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}

private func withScriptedServer<T>(
    _ script: @escaping ScriptedServer.Script, _ body: (ScriptedServer) async throws -> T
) async throws -> T {
    let server = try ScriptedServer(script: script)
    defer { server.stop() }
    return try await body(server)
}

private func withClient<T>(
    _ configuration: HTTPClientConfiguration = HTTPClientConfiguration(), _ body: (HTTPClient) async throws -> T
) async throws -> T {
    let client = try HTTPClient(configuration: configuration)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Counts handlers running at once and remembers the most.
private final class ConcurrencyMeter: Sendable {
    private let state = Mutex((current: 0, peak: 0))
    var peak: Int { state.withLock { $0.peak } }
    func enter() {
        state.withLock {
            $0.current += 1; $0.peak = max($0.peak, $0.current)
        }
    }
    func leave() { state.withLock { $0.current -= 1 } }
}

private func echoRouter(gate: TestGate? = nil, meter: ConcurrencyMeter? = nil) -> Router {
    var router = Router()
    router.on(.post, "/echo") { request in HTTPResponse(status: .ok, headers: [:], body: request.body) }
    router.on(.get, "/gated") { _ in
        meter?.enter()
        await gate?.wait()
        meter?.leave()
        return HTTPResponse(status: .ok, text: "done")
    }
    return router
}

private func request(_ method: HTTPMethod = .get, port: Int, path: String, body: [UInt8] = []) -> HTTPClientRequest {
    HTTPClientRequest(method: method, host: "127.0.0.1", port: port, path: path, body: body)
}

@Suite(.timeLimit(.minutes(1)))
struct HTTPClientTests {
    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await withTestServer(router: echoRouter()) { server, port in
            try await withClient { client in
                for i in 0..<20 {
                    let response = try await client.execute(
                        request(.post, port: port, path: "/echo", body: Array("\(i)".utf8)))
                    #expect(response.status.code == 200)
                    #expect(String(decoding: response.body, as: UTF8.self) == "\(i)")
                }
                #expect(await client.openConnectionCount(host: "127.0.0.1", port: port) == 1)
                #expect(server.openConnectionCount == 1)
            }
        }
    }

    @Test func concurrencyStaysWithinTheCap() async throws {
        let gate = TestGate()
        let meter = ConcurrencyMeter()
        var configuration = HTTPClientConfiguration()
        configuration.maxConnectionsPerHost = 4
        try await withTestServer(router: echoRouter(gate: gate, meter: meter)) { server, port in
            try await withClient(configuration) { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<50 {
                        group.addTask { try await client.execute(request(port: port, path: "/gated")).status.code }
                    }
                    #expect(await eventually { gate.arrived >= 4 })
                    #expect(server.openConnectionCount == 4)
                    gate.open()
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    #expect(statuses == Array(repeating: 200, count: 50))
                }
                #expect(meter.peak == 4)
                #expect(await client.openConnectionCount(host: "127.0.0.1", port: port) == 4)
            }
        }
    }

    @Test func requestOnAConnectionTheServerDroppedIsRetried() async throws {
        // Connection 0 answers its first request, then closes on the second without a byte of response (what a
        // server's idle timeout looks like from the client); the retry goes to connection 1.
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        try await withScriptedServer({ connection, request in
            connection == 0 && request == 1 ? nil : (ok, false)
        }) { server in
            try await withClient { client in
                #expect(try await client.execute(request(port: server.port, path: "/a")).status.code == 200)
                let second = try await client.execute(request(port: server.port, path: "/b"))
                #expect(String(decoding: second.body, as: UTF8.self) == "ok")
                #expect(server.accepted == 2)
            }
        }
    }

    @Test func freshConnectionFailureIsNotRetried() async throws {
        try await withScriptedServer({ _, _ in nil }) { server in
            try await withClient { client in
                let error = await #expect(throws: HTTPClientError.self) {
                    try await client.execute(request(port: server.port, path: "/"))
                }
                #expect(error?.code == .connectionClosed)
                #expect(server.accepted == 1)
            }
        }
    }

    @Test func connectionCloseResponseIsHonoured() async throws {
        let close = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"
        try await withScriptedServer({ _, _ in (close, false) }) { server in
            try await withClient { client in
                for _ in 0..<3 {
                    let response = try await client.execute(request(port: server.port, path: "/"))
                    #expect(response.body == Array("x".utf8))
                }
                #expect(server.accepted == 3)
                #expect(await client.openConnectionCount(host: "127.0.0.1", port: server.port) == 0)
            }
        }
    }

    @Test func http10ResponseReadUntilClose() async throws {
        let response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"
        try await withScriptedServer({ _, _ in (response, true) }) { server in
            try await withClient { client in
                for _ in 0..<2 {
                    let got = try await client.execute(request(port: server.port, path: "/"))
                    #expect(String(decoding: got.body, as: UTF8.self) == "all of it")
                    #expect(got.version == .http1_0)
                }
                #expect(server.accepted == 2)
            }
        }
    }

    @Test func chunkedResponseIsReassembledAndConnectionReused() async throws {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n"
        try await withScriptedServer({ _, _ in (chunked, false) }) { server in
            try await withClient { client in
                for _ in 0..<3 {
                    let got = try await client.execute(request(port: server.port, path: "/"))
                    #expect(String(decoding: got.body, as: UTF8.self) == "Wikipedia")
                }
                #expect(server.accepted == 1)
            }
        }
    }

    @Test func largeBodiesBothWays() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.limits.maxBodyBytes = 2 * 1024 * 1024
        let body = (0..<(1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        try await withTestServer(configuration: configuration, router: echoRouter()) { _, port in
            try await withClient { client in
                let response = try await client.execute(request(.post, port: port, path: "/echo", body: body))
                #expect(response.status.code == 200)
                #expect(response.body == body)
            }
        }
    }

    @Test func requestTimesOutAgainstAHandlerThatNeverAnswers() async throws {
        let gate = TestGate()
        try await withTestServer(router: echoRouter(gate: gate)) { _, port in
            try await withClient { client in
                let error = await #expect(throws: HTTPClientError.self) {
                    try await client.execute(request(port: port, path: "/gated"), timeout: .milliseconds(200))
                }
                #expect(error?.code == .timeout)
                #expect(await client.openConnectionCount(host: "127.0.0.1", port: port) == 0)
            }
            gate.open()
        }
    }

    @Test func connectionRefusedIsAClearError() async throws {
        // Bind a port and close it, so nothing listens there.
        let port = try await withScriptedServer({ _, _ in nil }) { server in server.port }
        try await withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(request(port: port, path: "/"))
            }
            #expect(error?.code == .connect)
            #expect(error?.errno == ECONNREFUSED)
            #expect(error?.description.contains("connect(127.0.0.1:\(port))") == true)
        }
    }

    @Test func cancellationThrowsAndClosesTheConnection() async throws {
        let gate = TestGate()
        try await withTestServer(router: echoRouter(gate: gate)) { server, port in
            try await withClient { client in
                let call = Task { try await client.execute(request(port: port, path: "/gated")) }
                #expect(await eventually { gate.arrived == 1 })
                call.cancel()
                await #expect(throws: CancellationError.self) { try await call.value }
                #expect(await client.openConnectionCount(host: "127.0.0.1", port: port) == 0)
                // The server finishes the handler it started, then sees the closed connection and drops it.
                gate.open()
                #expect(await eventually { server.openConnectionCount == 0 })
            }
        }
    }

    @Test func unknownSchemeIsRefused() async throws {
        try await withClient { client in
            let request = try HTTPClientRequest(url: "ftp://api.telegram.org/bot1:x/getMe")
            let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
            #expect(error?.code == .unsupportedScheme)
            #expect(error?.description.contains("bot1") == false)
        }
    }

    @Test func shutdownFailsLaterRequests() async throws {
        let client = try HTTPClient()
        await client.shutdown()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(request(port: 1, path: "/"))
        }
        #expect(error?.code == .shutdown)
    }

    @Test func urlsAreSplitIntoParts() throws {
        let v6 = try HTTPClientRequest(url: "http://[::1]:8081/bot1:x/getMe?a=b#frag")
        #expect(v6.host == "::1")
        #expect(v6.port == 8081)
        #expect(v6.path == "/bot1:x/getMe?a=b")
        #expect(v6.hostField == "[::1]:8081")
        let plain = try HTTPClientRequest(url: "HTTP://example.org")
        #expect(plain.scheme == "http")
        #expect(plain.port == 80)
        #expect(plain.path == "/")
        #expect(plain.hostField == "example.org")
        for bad in [
            "example.org/x", "http://", "http://host:0/", "http://host:99999/", "http://u@host/", "http://[::1/",
        ] {
            #expect(throws: HTTPClientError.self, "\(bad)") { try HTTPClientRequest(url: bad) }
        }
    }

    @Test func namesResolveThroughGetaddrinfo() async throws {
        try await withTestServer(router: echoRouter()) { _, port in
            try await withClient { client in
                let request = HTTPClientRequest(method: .post, host: "localhost", port: port, path: "/echo", body: [1])
                let response = try await client.execute(request)
                #expect(response.body == [1])
            }
        }
    }
}
