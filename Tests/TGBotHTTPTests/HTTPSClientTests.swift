import Foundation
import Synchronization
import TGBotTesting
import Testing

@testable import TGBotHTTP

/// A CA, a certificate for `localhost` / `127.0.0.1` it issued, and a TLS server presenting it; all removed
/// after `body`, even when it throws.
private func withTLSServer<T>(
    altNames: String = "DNS:localhost,IP:127.0.0.1", closeAfter: Int? = nil,
    dropRequest: (number: Int, sendsCloseNotify: Bool)? = nil,
    _ body: (TLSTestServer, TestCertificates) async throws -> T
) async throws -> T {
    let pki = try await TestCertificates.makeCA()
    defer { pki.remove() }
    let leaf = try await pki.issue("server", altNames: altNames)
    let server = try TLSTestServer(leaf: leaf, closeAfter: closeAfter, dropRequest: dropRequest)
    defer { server.stop() }
    return try await body(server, pki)
}

/// A client trusting `caFile` (nil: the system store only), shut down after `body`.
private func withHTTPSClient<T>(
    caFile: String?, shouldVerify: Bool = true, _ body: (HTTPClient) async throws -> T
) async throws -> T {
    var configuration = HTTPClientConfiguration(requestTimeout: .seconds(20))
    configuration.tls = HTTPClientTLSConfiguration(additionalCAFile: caFile, shouldVerifyCertificates: shouldVerify)
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

/// The error `execute` threw, as an ``HTTPClientError``; nil when it succeeded or threw something else.
private func clientError(_ client: HTTPClient, _ url: String) async throws -> HTTPClientError? {
    do {
        _ = try await client.execute(try HTTPClientRequest(url: url))
        return nil
    } catch let error as HTTPClientError {
        return error
    }
}

@Suite(.timeLimit(.minutes(1)), .enabled(if: TestCertificates.isToolAvailable, "needs /usr/bin/openssl"))
struct HTTPSClientTests {
    @Test(arguments: ["127.0.0.1", "localhost"])
    func getAndPostOverTLS(host: String) async throws {
        try await withTLSServer { server, pki in
            try await withHTTPSClient(caFile: pki.caFile) { client in
                let get = try await client.execute(try HTTPClientRequest(url: "https://\(host):\(server.port)/a?b=1"))
                #expect(get.status.code == 200)
                #expect(String(decoding: get.body, as: UTF8.self) == "GET /a?b=1 0")
                let payload = Array(repeating: UInt8(ascii: "x"), count: 100_000)
                let post = try await client.execute(
                    try HTTPClientRequest(method: .post, url: "https://\(host):\(server.port)/echo", body: payload))
                #expect(post.status.code == 200)
                #expect(post.body == payload)
            }
            // SNI carries a name, never an IP literal (RFC 6066 §3).
            #expect(server.receivedServerNames.first == (host == "localhost" ? "localhost" : ""))
        }
    }

    @Test func keepAliveReusesOneConnectionAndHandshake() async throws {
        try await withTLSServer { server, pki in
            try await withHTTPSClient(caFile: pki.caFile) { client in
                for i in 0..<5 {
                    let response = try await client.execute(
                        try HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/r\(i)"))
                    #expect(String(decoding: response.body, as: UTF8.self) == "GET /r\(i) 0")
                }
                #expect(await client.openConnectionCount(host: "127.0.0.1", port: server.port, isTLS: true) == 1)
            }
            #expect(server.handshakes == 1)
            #expect(server.accepted == 1)
        }
    }

    @Test func connectionClosedByServerAfterEachResponseIsReplaced() async throws {
        try await withTLSServer(closeAfter: 1) { server, pki in
            try await withHTTPSClient(caFile: pki.caFile) { client in
                for i in 0..<5 {
                    let response = try await client.execute(
                        try HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/c\(i)"))
                    #expect(String(decoding: response.body, as: UTF8.self) == "GET /c\(i) 0")
                }
            }
            #expect(server.handshakes == 5)
        }
    }

    /// The server drops the second request on a kept-alive connection (close_notify, or a bare TCP close): the
    /// client sees the reused connection end before any response byte and retries once on a fresh one.
    @Test(arguments: [true, false])
    func requestOnAConnectionTheServerDroppedIsRetried(sendsCloseNotify: Bool) async throws {
        try await withTLSServer(dropRequest: (number: 2, sendsCloseNotify: sendsCloseNotify)) { server, pki in
            try await withHTTPSClient(caFile: pki.caFile) { client in
                let first = try await client.execute(try HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/1"))
                #expect(String(decoding: first.body, as: UTF8.self) == "GET /1 0")
                let second = try await client.execute(try HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/2"))
                #expect(String(decoding: second.body, as: UTF8.self) == "GET /2 0")
            }
            #expect(server.handshakes == 2)
        }
    }

    @Test func untrustedCertificateFailsVerification() async throws {
        try await withTLSServer { server, _ in
            try await withHTTPSClient(caFile: nil) { client in
                let error = try #require(await clientError(client, "https://127.0.0.1:\(server.port)/"))
                #expect(error.code == .certificateVerification)
                #expect(error.description.contains("certificate verify failed"), "\(error)")
                #expect(error.description.contains("127.0.0.1:\(server.port)"), "\(error)")
            }
            #expect(server.handshakes == 0)
        }
    }

    @Test func verificationCanBeTurnedOffForTests() async throws {
        try await withTLSServer { server, _ in
            try await withHTTPSClient(caFile: nil, shouldVerify: false) { client in
                let response = try await client.execute(try HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/"))
                #expect(response.status.code == 200)
            }
        }
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func hostnameMismatchFailsVerification(host: String) async throws {
        try await withTLSServer(altNames: "DNS:other.example,IP:10.9.8.7") { server, pki in
            try await withHTTPSClient(caFile: pki.caFile) { client in
                let error = try #require(await clientError(client, "https://\(host):\(server.port)/"))
                #expect(error.code == .certificateVerification)
                #expect(error.description.contains("mismatch"), "\(error)")
            }
        }
    }

    @Test func serverNotSpeakingTLSFailsTheHandshake() async throws {
        var router = Router()
        router.on(.get, "/") { _ in HTTPResponse(status: .ok, text: "plain") }
        try await withTestServer(router: router) { _, port in
            try await withHTTPSClient(caFile: nil) { client in
                let error = try #require(await clientError(client, "https://127.0.0.1:\(port)/"))
                #expect(error.code == .tlsHandshake, "\(error)")
                #expect(!error.reason.isEmpty)
            }
        }
    }

    @Test func missingCAFileIsAConfigurationError() async throws {
        try await withHTTPSClient(caFile: "/nonexistent/tgbotd-ca.pem") { client in
            let error = try #require(await clientError(client, "https://127.0.0.1:1/"))
            #expect(error.code == .tlsConfiguration)
            // Plain HTTP is unaffected by the TLS settings.
            let plain = try #require(await clientError(client, "http://127.0.0.1:1/"))
            #expect(plain.code == .connect)
        }
    }

    @Test func concurrentRequestsAllSucceed() async throws {
        try await withTLSServer { server, pki in
            try await withHTTPSClient(caFile: pki.caFile) { client in
                let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                    for i in 0..<50 {
                        group.addTask {
                            let response = try await client.execute(
                                try HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/n\(i)"))
                            return String(decoding: response.body, as: UTF8.self)
                        }
                    }
                    var bodies: Set<String> = []
                    for try await body in group { bodies.insert(body) }
                    return bodies
                }
                #expect(bodies == Set((0..<50).map { "GET /n\($0) 0" }))
            }
            #expect(server.handshakes >= 1 && server.handshakes <= 50)
        }
    }
}
