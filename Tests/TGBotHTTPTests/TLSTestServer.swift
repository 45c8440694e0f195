import COpenSSL
import Foundation
import Synchronization
import TGBotHTTP

#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTPS/1.1 server on 127.0.0.1 for the client's TLS tests, made with OpenSSL directly so it
/// shares no code with the client under test.
///
/// Each accepted connection runs on a thread of its own (never the cooperative pool): `SSL_accept`, then up to
/// 100 requests answered with `200` and a body of `"<method> <path> <body bytes>"`, or the request body itself
/// for a `POST` with content. Connections stay open (keep-alive) unless `closeAfter` or `dropRequest` say
/// otherwise. Reads time out after 5 s, so a test cannot hang on it.
final class TLSTestServer: @unchecked Sendable {
    // Sendable: `port`, `fd`, `context` and `closeAfter` are immutable after init (the SSL_CTX is configured
    // before the accept thread starts and only used for SSL_new, which OpenSSL locks); the counters are Atomics.

    let port: Int
    private let fd: Int32
    private let context: OpaquePointer
    private let closeAfter: Int?
    private let dropRequest: (number: Int, sendsCloseNotify: Bool)?
    private let acceptedCount = Atomic<Int>(0)
    private let handshakeCount = Atomic<Int>(0)
    private let serverNames = Mutex<[String]>([])

    /// Starts serving `leaf`.
    ///
    /// - Parameters:
    ///   - closeAfter: Each connection is closed (with close_notify) after that many responses.
    ///   - dropRequest: On each connection, the request with this 1-based number is read and not answered: the
    ///     connection closes instead, with or without close_notify (what a server's idle timeout looks like from
    ///     a client that sent just then).
    init(
        leaf: TestCertificates.Leaf, closeAfter: Int? = nil,
        dropRequest: (number: Int, sendsCloseNotify: Bool)? = nil
    ) throws {
        if let error = ctgbot_openssl_load() { throw SocketError(String(cString: error), errno: 0) }
        guard let context = ctgbot_SSL_CTX_new(ctgbot_TLS_server_method()) else {
            throw SocketError("SSL_CTX_new", errno: 0)
        }
        guard ctgbot_SSL_CTX_use_certificate_chain_file(context, leaf.certificateFile) == 1,
            ctgbot_SSL_CTX_use_PrivateKey_file(context, leaf.keyFile, SSL_FILETYPE_PEM) == 1
        else {
            ctgbot_SSL_CTX_free(context)
            throw SocketError("SSL_CTX_use_certificate_chain_file", errno: 0)
        }
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(s, raw, length) == 0 && listen(s, 128) == 0 && getsockname(s, raw, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(s)
            ctgbot_SSL_CTX_free(context)
            throw SocketError("bind", errno: errno)
        }
        self.context = context
        self.closeAfter = closeAfter
        self.dropRequest = dropRequest
        fd = s
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { self.acceptLoop() }
    }

    deinit { ctgbot_SSL_CTX_free(context) }

    /// TCP connections accepted so far.
    var accepted: Int { acceptedCount.load(ordering: .relaxed) }
    /// TLS handshakes completed so far.
    var handshakes: Int { handshakeCount.load(ordering: .relaxed) }
    /// The SNI names clients sent, one per completed handshake ("" for none).
    var receivedServerNames: [String] { serverNames.withLock { $0 } }

    /// Stops accepting. Connection threads end when their clients close or their reads time out; the SSL_CTX is
    /// reference-counted by their sessions, so it is never freed under them.
    func stop() {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    private func acceptLoop() {
        for _ in 0..<1000 {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { break }
            acceptedCount.add(1, ordering: .relaxed)
            var tv = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            Thread.detachNewThread { self.serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        guard let ssl = ctgbot_SSL_new(context) else {
            Glibc.close(client)
            return
        }
        defer {
            ctgbot_SSL_free(ssl)
            Glibc.close(client)
        }
        ctgbot_SSL_set_fd(ssl, client)
        guard ctgbot_SSL_accept(ssl) == 1 else { return }  // e.g. the client rejected our certificate
        handshakeCount.add(1, ordering: .relaxed)
        let name = ctgbot_SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) } ?? ""
        serverNames.withLock { $0.append(name) }
        var buffer: [UInt8] = []
        for served in 1...100 {
            guard let (method, path, body) = Self.readRequest(ssl, &buffer) else { return }
            if let dropRequest, dropRequest.number == served {
                if dropRequest.sendsCloseNotify { _ = ctgbot_SSL_shutdown(ssl) }
                return
            }
            let content = method == "POST" && !body.isEmpty ? body : Array("\(method) \(path) \(body.count)".utf8)
            let response = Array("HTTP/1.1 200 OK\r\nContent-Length: \(content.count)\r\n\r\n".utf8) + content
            let written = response.withUnsafeBytes { ctgbot_SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            guard written == Int32(response.count) else { return }
            if let closeAfter, served >= closeAfter {
                _ = ctgbot_SSL_shutdown(ssl)
                return
            }
        }
    }

    /// Reads one request: head, then `Content-Length` bytes. Nil on end of stream, error or timeout.
    private static func readRequest(_ ssl: OpaquePointer, _ buffer: inout [UInt8]) -> (String, String, [UInt8])? {
        var chunk = [UInt8](repeating: 0, count: 16384)
        for _ in 0..<1000 {
            if let headEnd = find([13, 10, 13, 10], in: buffer) {
                let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let parts = lines.first?.split(separator: " ") ?? []
                var length = 0
                for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                let total = headEnd + 4 + length
                if buffer.count >= total, parts.count == 3 {
                    let body = Array(buffer[(headEnd + 4)..<total])
                    buffer.removeFirst(total)
                    return (String(parts[0]), String(parts[1]), body)
                }
            }
            let n = chunk.withUnsafeMutableBytes { ctgbot_SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            guard n > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<Int(n)])
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
