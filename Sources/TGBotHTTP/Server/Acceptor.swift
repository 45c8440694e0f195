import CTGBotLinux
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Accepts connections from one listening socket on one loop.
///
/// Every loop registers the same listener with `EPOLLEXCLUSIVE`, so the kernel wakes one idle loop per new
/// connection, which spreads connections across loops. When the process runs out of descriptors (`EMFILE`),
/// accepting pauses for a moment instead of spinning on a listener that stays readable.
final class Acceptor: EpollHandler {
    private let listener: ListeningSocket
    private unowned let owner: ServerLoop
    private var isRegistered = false
    private var pausedUntil: UInt64 = 0
    private var isStopped = false

    /// The canned answer to a connection over the cap.
    private static let overloaded = Array(
        ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n").utf8)

    init(listener: ListeningSocket, owner: ServerLoop) {
        self.listener = listener
        self.owner = owner
    }

    func resume() {
        guard !isRegistered, !isStopped else { return }
        do {
            try owner.loop.register(fd: listener.fd, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, handler: self)
            isRegistered = true
        } catch {
            owner.context.logger.warning("Cannot watch listening socket", metadata: ["error": "\(error)"])
        }
    }

    func stop() {
        isStopped = true
        if isRegistered {
            owner.loop.deregister(fd: listener.fd)
            isRegistered = false
        }
    }

    func tick(now: UInt64) {
        if !isRegistered && !isStopped && now >= pausedUntil { resume() }
    }

    func handle(events: UInt32) {
        let context = owner.context
        // A bounded batch per wakeup keeps one loop from taking every connection of a burst.
        for _ in 0..<16 {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = ctgbot_accept4(
                listener.fd, &storage, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            if fd < 0 {
                let code = errno
                switch code {
                case EAGAIN, EWOULDBLOCK:
                    return
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    context.logger.warning(
                        "Out of resources accepting connections; pausing accept",
                        metadata: ["error": "\(SocketError("accept4", errno: code))"])
                    pause()
                    return
                default:
                    context.logger.warning(
                        "accept failed", metadata: ["error": "\(SocketError("accept4", errno: code))"])
                    return
                }
            }
            let open = context.openConnections.add(1, ordering: .relaxed).newValue
            if open > context.configuration.maxConnections {
                context.openConnections.subtract(1, ordering: .relaxed)
                Self.overloaded.withUnsafeBytes { raw in
                    _ = send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
                }
                Syscall.close(fd)
                continue
            }
            let family = Int32(storage.ss_family)
            if family == AF_INET || family == AF_INET6 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            let peer = SocketAddressText.describe(storage).0
            let target = owner.leastLoadedLoop()
            if target === owner {
                owner.adopt(fd: fd, peer: peer)
            } else {
                let queued = target.loop.tryExecute { target.adopt(fd: fd, peer: peer) }
                if !queued {  // that loop has exited (shutdown): keep the socket here
                    target.assignedConnections.subtract(1, ordering: .relaxed)
                    owner.assignedConnections.add(1, ordering: .relaxed)
                    owner.adopt(fd: fd, peer: peer)
                }
            }
        }
    }

    private func pause() {
        if isRegistered {
            owner.loop.deregister(fd: listener.fd)
            isRegistered = false
        }
        pausedUntil = Syscall.monotonicNanoseconds() + 100_000_000
    }
}
