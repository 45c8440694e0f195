import TGBotHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The Unix datagram socket `$NOTIFY_SOCKET` names, and the one system call that writes to it.
///
/// This is the `sd_notify(3)` wire protocol written directly, without libsystemd: each notification is one
/// datagram of newline-separated `KEY=VALUE` assignments, sent from a fresh `AF_UNIX`/`SOCK_DGRAM` socket.
/// `$NOTIFY_SOCKET` is either a filesystem path (`/run/systemd/notify`) or, with a leading `@`, a name in the
/// Linux abstract namespace, whose first address byte is NUL and whose length is exact (no terminating NUL).
/// Other forms (`vsock:…`, relative paths) are not supported and parse to nil.
///
/// Thread-safety: an immutable value; ``send(_:)`` opens and closes its own descriptor, so concurrent sends
/// from any thread are safe.
public struct SystemdNotifySocket: Sendable, Equatable, CustomStringConvertible {
    /// Where the datagrams go.
    public enum Address: Sendable, Equatable {
        /// A socket file at this absolute path.
        case path(String)
        /// A socket in the abstract namespace; the name is given without the leading `@` or NUL.
        case abstract(String)
    }

    /// The destination.
    public let address: Address

    /// Parses a `$NOTIFY_SOCKET` value.
    ///
    /// - Parameter value: `/absolute/path` or `@abstract-name`.
    /// - Returns: nil for an empty value, an unsupported form or a name longer than `sun_path` allows.
    public init?(_ value: String) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        if value.hasPrefix("@") {
            let name = String(value.dropFirst())
            // The leading NUL takes one byte of sun_path.
            guard !name.isEmpty, name.utf8.count + 1 <= capacity else { return nil }
            address = .abstract(name)
        } else if value.hasPrefix("/") {
            // A path needs room for its terminating NUL.
            guard value.utf8.count < capacity else { return nil }
            address = .path(value)
        } else {
            return nil
        }
    }

    /// `/path` or `@name`, as in `$NOTIFY_SOCKET`.
    public var description: String {
        switch address {
        case .path(let path): path
        case .abstract(let name): "@" + name
        }
    }

    /// Sends `message` as one datagram.
    ///
    /// It never blocks: a full receive queue (systemd not reading) fails with `EAGAIN` rather than stalling the
    /// caller, and `MSG_NOSIGNAL` keeps a vanished receiver from raising `SIGPIPE`.
    /// - Throws: ``SocketError`` naming `socket` or `sendto` and the errno.
    public func send(_ message: String) throws(SocketError) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket", errno: errno, detail: "notify") }
        defer { close(fd) }
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let (bytes, leadingNUL): ([UInt8], Bool) =
            switch address {
            case .path(let path): (Array(path.utf8), false)
            case .abstract(let name): (Array(name.utf8), true)
            }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            let start = leadingNUL ? 1 : 0
            for (offset, byte) in bytes.enumerated() { raw[start + offset] = byte }
        }
        // A path counts its terminating NUL (as sd_notify does); an abstract name is its leading NUL plus exactly
        // its bytes. Either way that is one byte more than the text.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = socklen_t(pathOffset + bytes.count + 1)
        let payload = Array(message.utf8)
        let flags = Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)
        while true {
            let sent = withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, flags, address, length) }
                }
            }
            if sent >= 0 { return }
            let code = errno
            if code == EINTR { continue }
            throw SocketError("sendto", errno: code, detail: description)
        }
    }
}
