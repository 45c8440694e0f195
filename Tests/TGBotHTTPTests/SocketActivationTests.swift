import Foundation
import TGBotHTTP
import TGBotTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A listening socket made the way systemd makes one for a `.socket` unit: blocking, bound and listening
/// before the service exists.
private func makeListeningSocket(unixPath: String? = nil) throws -> Int32 {
    let fd = socket(unixPath == nil ? AF_INET : AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SocketError("socket", errno: errno) }
    let rc: Int32
    if let unixPath {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(unixPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    } else {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
    guard rc == 0, listen(fd, 16) == 0 else {
        let code = errno
        close(fd)
        throw SocketError("bind/listen", errno: code)
    }
    return fd
}

/// The TCP port `fd` is bound to.
private func boundPort(_ fd: Int32) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func helloRouter() -> Router {
    var router = Router()
    router.on(.get, "/hello") { _ in HTTPResponse(status: .ok, text: "hello\n") }
    return router
}

@Suite(.timeLimit(.minutes(1)))
struct SocketActivationTests {
    @Test func servesAnInheritedTCPSocketIncludingConnectionsQueuedBeforeStart() async throws {
        let fd = try makeListeningSocket()
        let port = boundPort(fd)
        // A client that connects while no server runs (systemd holds the socket across a restart) waits in the
        // listen backlog; the server must answer it once it takes the socket over.
        let early = try RawHTTPClient(port: port)
        try early.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        var configuration = HTTPServerConfiguration(bindTargets: [.descriptor(fd)])
        configuration.ioThreads = 1
        try await withTestServer(configuration: configuration, router: helloRouter()) { server, serverPort in
            #expect(serverPort == port)
            #expect(server.localAddresses == ["127.0.0.1:\(port)"])
            let response = try await early.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello\n")
            let late = try RawHTTPClient(port: port)
            try late.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await late.readResponse().status == 200)
        }
    }

    @Test func servesAnInheritedUnixSocket() async throws {
        let path = NSTemporaryDirectory() + "tgbotd-activation-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }
        let fd = try makeListeningSocket(unixPath: path)
        var configuration = HTTPServerConfiguration(bindTargets: [.descriptor(fd)])
        configuration.ioThreads = 1
        try await withTestServer(configuration: configuration, router: helloRouter()) { _, _ in
            let client = try RawHTTPClient(unixPath: path)
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test(arguments: [
        (["LISTEN_PID": "4242", "LISTEN_FDS": "1"], [Int32(3)]),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "3", "LISTEN_FDNAMES": "http:unix:extra"], [3, 4, 5]),
        (["LISTEN_PID": "4243", "LISTEN_FDS": "1"], []),  // meant for another process (our parent or child)
        (["LISTEN_FDS": "1"], []),
        (["LISTEN_PID": "4242"], []),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "0"], []),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "-1"], []),
        (["LISTEN_PID": "4242", "LISTEN_FDS": "many"], []),
        (["LISTEN_PID": "pid", "LISTEN_FDS": "1"], []),
        ([:], []),
    ])
    func listenDescriptorsFollowsSdListenFds(environment: [String: String], expected: [Int32]) {
        #expect(SystemdActivation.listenDescriptors(environment: environment, pid: 4242) == expected)
    }
}
