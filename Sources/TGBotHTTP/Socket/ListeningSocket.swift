#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A non-blocking listening socket: TCP (IPv4 or IPv6), a Unix domain socket, or an inherited descriptor.
///
/// Thread-safety: a value type holding the descriptor; ownership passes to the server, which closes it once.
package struct ListeningSocket: Sendable {
    /// The listening descriptor.
    package let fd: Int32
    /// The Unix socket path to unlink at close, if this socket created one.
    package let unixPath: String?
    /// The address actually bound, as text (`127.0.0.1:43121`, `[::1]:8080`, `unix:/run/x.sock`).
    package let boundAddress: String
    /// The bound TCP port, when this is a TCP socket.
    package let port: Int?

    /// Opens and binds a listening socket for `target`.
    package static func open(_ target: BindTarget, backlog: Int32) throws(SocketError) -> ListeningSocket {
        switch target {
        case .tcp(let host, let port):
            return try openTCP(host: host, port: port, backlog: backlog)
        case .unix(let path):
            return try openUnix(path: path, backlog: backlog)
        case .descriptor(let fd):
            try setNonBlocking(fd)
            let (address, port) = localAddress(of: fd)
            return ListeningSocket(fd: fd, unixPath: nil, boundAddress: address, port: port)
        }
    }

    /// Closes the descriptor and removes the socket file this socket created.
    package func close() {
        Syscall.close(fd)
        if let unixPath { unlink(unixPath) }
    }

    private static func openTCP(host: String, port: Int, backlog: Int32) throws(SocketError) -> ListeningSocket {
        guard (0...65535).contains(port) else { throw SocketError("bind", errno: EINVAL, detail: "port \(port)") }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw SocketError("getaddrinfo", errno: 0, detail: "\(host): \(reason)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(
            first.pointee.ai_family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket", errno: errno) }
        do throws(SocketError) {
            try Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
            _ = try Syscall.retrying("bind") { bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) }
            _ = try Syscall.retrying("listen") { listen(fd, backlog) }
        } catch {
            Syscall.close(fd)
            var annotated = error
            annotated.detail = BindTarget.tcp(host: host, port: port).description
            throw annotated
        }
        let (address, boundPort) = localAddress(of: fd)
        return ListeningSocket(fd: fd, unixPath: nil, boundAddress: address, port: boundPort)
    }

    private static func openUnix(path: String, backlog: Int32) throws(SocketError) -> ListeningSocket {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw SocketError("bind", errno: ENAMETOOLONG, detail: "unix:\(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        // Replace a stale socket left by a previous run, but never delete a regular file.
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFSOCK else {
                throw SocketError("bind", errno: EEXIST, detail: "unix:\(path) exists and is not a socket")
            }
            unlink(path)
        }
        let fd = socket(
            AF_UNIX,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket", errno: errno) }
        do throws(SocketError) {
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
            _ = try withUnsafePointer(to: &address) { (pointer) throws(SocketError) -> Int32 in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(SocketError) -> Int32 in
                    try Syscall.retrying("bind") { bind(fd, sa, length) }
                }
            }
            // Group-writable so a reverse proxy in the service's group can connect.
            chmod(path, 0o660)
            _ = try Syscall.retrying("listen") { listen(fd, backlog) }
        } catch {
            Syscall.close(fd)
            var annotated = error
            annotated.detail = "unix:\(path)"
            throw annotated
        }
        return ListeningSocket(fd: fd, unixPath: path, boundAddress: "unix:\(path)", port: nil)
    }

    private static func setNonBlocking(_ fd: Int32) throws(SocketError) {
        let flags = try Syscall.retrying("fcntl(F_GETFL)") { fcntl(fd, F_GETFL) }
        _ = try Syscall.retrying("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Reads back the bound address with `getsockname`.
    package static func localAddress(of fd: Int32) -> (String, Int?) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return ("fd:\(fd)", nil) }
        return SocketAddressText.describe(storage)
    }
}

/// Renders `sockaddr_storage` as text; shared by listeners and accepted connections.
package enum SocketAddressText {
    /// Returns the printable address and, for IP families, the port.
    package static func describe(_ storage: sockaddr_storage) -> (String, Int?) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var address = sin.pointee.sin_addr
                    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                    inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    let port = Int(UInt16(bigEndian: sin.pointee.sin_port))
                    return (
                        "\(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)):\(port)",
                        port
                    )
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var address = sin6.pointee.sin6_addr
                    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    let port = Int(UInt16(bigEndian: sin6.pointee.sin6_port))
                    return (
                        "[\(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))]:\(port)",
                        port
                    )
                }
            }
        case AF_UNIX:
            return ("unix", nil)
        default:
            return ("unknown", nil)
        }
    }
}
