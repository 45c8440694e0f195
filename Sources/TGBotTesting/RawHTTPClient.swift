import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A deliberately dumb blocking HTTP/1.1 client for tests: it writes exactly the bytes it is given and reads
/// raw responses, so tests can send malformed, pipelined, slow or hostile input over a real socket.
///
/// Every read has a timeout (default 5 s), so a test never hangs on a server that does not answer.
public final class RawHTTPClient: @unchecked Sendable {
    // Sendable: a client is used by one test task at a time; its blocking reads run on a Dispatch thread while
    // that task awaits them (see `offPool`), so accesses to `buffer` never overlap.
    /// A response as read off the wire.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// A client error.
    public struct ClientError: Error, CustomStringConvertible {
        public var description: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host:port` over TCP (IPv4 or IPv6 literal).
    public init(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(5)) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw ClientError(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        Self.setTimeout(fd, timeout)
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ClientError(description: "connect failed: errno \(code)")
        }
    }

    /// Connects to a Unix domain socket.
    public init(unixPath: String, timeout: Duration = .seconds(5)) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        Self.setTimeout(fd, timeout)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(unixPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            Glibc.close(fd)
            throw ClientError(description: "connect(unix) failed: errno \(errno)")
        }
    }

    deinit { Glibc.close(fd) }

    private static func setTimeout(_ fd: Int32, _ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `text` as UTF-8, exactly.
    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends `bytes`, exactly.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Half-closes the sending side.
    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return false }
        guard n > 0 else {
            throw ClientError(description: errno == EAGAIN ? "read timed out" : "recv failed: errno \(errno)")
        }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Runs a blocking socket call on a Dispatch thread, so waiting tests never block the small cooperative pool
    /// the code under test needs.
    private func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Reads one response. HEAD responses and 1xx/204/304 have no body; `expectBody: false` forces that.
    public func readResponse(expectBody: Bool = true) async throws -> Response {
        try await offPool { try self.readResponseBlocking(expectBody: expectBody) }
    }

    /// Waits until the server closes the connection; returns true when it did within the read timeout, and
    /// false when the read timed out with the connection still open.
    public func waitForClose() async -> Bool {
        (try? await offPool { self.waitForCloseBlocking() }) ?? false
    }

    private func readResponseBlocking(expectBody: Bool) throws -> Response {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find(Array("\r\n\r\n".utf8), in: buffer)
            if headEnd == nil {
                guard try fill() else { throw ClientError(description: "connection closed before a response") }
            }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw ClientError(description: "bad status line: \(headText)")
        }
        let headers: [(String, String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: " "))
        }
        buffer.removeFirst(headEnd! + 4)
        var response = Response(status: status, headers: headers, body: [])
        let length = response.header("Content-Length").flatMap(Int.init) ?? 0
        if expectBody && status >= 200 && status != 204 && status != 304 {
            while buffer.count < length {
                guard try fill() else { throw ClientError(description: "connection closed inside a body") }
            }
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return response
    }

    private func waitForCloseBlocking() -> Bool {
        while true {
            do {
                if try !fill() { return true }
            } catch {
                return (error as? ClientError)?.description != "read timed out"
            }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.range(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(self.drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(self.drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }

    fileprivate func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
