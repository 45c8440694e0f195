import CTGBotLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One TCP connection of the client: non-blocking connect, request write, response read, keep-alive.
///
/// Lives on its pool's loop and is touched only there. It carries at most one request at a time (no
/// pipelining); when a response completes and both sides allow keep-alive, it goes back to its
/// ``ConnectionPool`` as idle. While idle it stays registered for reading, so a server closing it is noticed
/// and the connection leaves the pool.
final class ClientConnection: EpollHandler {
    private enum State { case connecting, active, idle, closed }

    private unowned let pool: ConnectionPool
    private let addresses: [SocketAddress]
    private var addressIndex = 0
    private(set) var fd: Int32 = -1
    private var state = State.connecting
    private var interest: UInt32 = 0
    private var task: ClientRequestTask?
    private var isReused = false
    private var hasReceivedBytes = false
    private var outboundOffset = 0
    private var isWriteDone = false
    private var parser: HTTPResponseParser
    private var inbound = InboundBuffer()
    private var connectDeadline: UInt64 = 0
    /// When the connection last went idle (monotonic nanoseconds).
    private(set) var idleSince: UInt64 = 0

    init(pool: ConnectionPool, addresses: [SocketAddress]) {
        self.pool = pool
        self.addresses = addresses
        self.parser = HTTPResponseParser(limits: pool.owner.configuration.limits)
    }

    private var loop: EventLoop { pool.owner.loop }
    private var peer: String { pool.key.description }

    var isIdle: Bool { state == .idle }

    // MARK: Connecting

    /// Starts connecting, to carry `task` once connected.
    func connect(carrying task: ClientRequestTask) {
        self.task = task
        task.connection = self
        connectDeadline = Syscall.monotonicNanoseconds() + pool.owner.configuration.connectTimeout.clampedNanoseconds
        connectNextAddress(lastError: nil)
    }

    private func connectNextAddress(lastError: HTTPClientError?) {
        guard addressIndex < addresses.count else {
            fail(lastError ?? HTTPClientError(.connect, operation: "connect", detail: peer), retryable: false)
            return
        }
        let address = addresses[addressIndex]
        addressIndex += 1
        let s = socket(
            address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            0)
        guard s >= 0 else {
            fail(HTTPClientError(.connect, operation: "socket", errno: errno, detail: peer), retryable: false)
            return
        }
        fd = s
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        repeat {
            rc = address.bytes.withUnsafeBytes { raw in
                Glibc.connect(s, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
        } while rc != 0 && errno == EINTR
        let code = rc == 0 ? 0 : errno
        if rc != 0 && code != EINPROGRESS {
            Syscall.close(s)
            fd = -1
            connectNextAddress(lastError: HTTPClientError(.connect, operation: "connect", errno: code, detail: peer))
            return
        }
        interest = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLOUT.rawValue
        do {
            try loop.register(fd: s, events: interest, handler: self)
        } catch {
            Syscall.close(s)
            fd = -1
            fail(HTTPClientError(.connect, operation: "epoll_ctl", errno: error.errno, detail: peer), retryable: false)
            return
        }
        if rc == 0 { connected() }
    }

    private func finishConnecting() {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
        guard code == 0 else {
            loop.deregister(fd: fd)
            Syscall.close(fd)
            fd = -1
            connectNextAddress(lastError: HTTPClientError(.connect, operation: "connect", errno: code, detail: peer))
            return
        }
        connected()
    }

    private func connected() {
        guard let task else {
            close()
            return
        }
        start(task, reused: false)
    }

    // MARK: Exchanges

    /// Sends `task` on this connection (fresh, or reused from the idle pool).
    func start(_ task: ClientRequestTask, reused: Bool) {
        self.task = task
        task.connection = self
        isReused = reused
        hasReceivedBytes = false
        isWriteDone = false
        outboundOffset = 0
        parser.begin(requestMethod: task.method)
        state = .active
        flush()
    }

    func handle(events: UInt32) {
        if state == .connecting {
            finishConnecting()
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readable()
        }
        if state == .active && events & EPOLLOUT.rawValue != 0 { flush() }
    }

    private func flush() {
        guard let task, !isWriteDone else { return }
        while outboundOffset < task.bytes.count {
            let offset = outboundOffset
            let socket = fd
            let attempt = task.bytes.withUnsafeBytes { raw in
                Result { () throws(SocketError) in
                    try Syscall.send(socket, raw.baseAddress! + offset, raw.count - offset)
                }
            }
            let result: Syscall.IOResult
            switch attempt {
            case .success(let value):
                result = value
            case .failure(let error):
                fail(HTTPClientError(.write, operation: "write", errno: error.errno, detail: peer), retryable: true)
                return
            }
            switch result {
            case .wouldBlock:
                setInterest(EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLOUT.rawValue)
                return
            case .processed(let n):
                outboundOffset += n
            }
        }
        isWriteDone = true
        setInterest(EPOLLIN.rawValue | EPOLLRDHUP.rawValue)
    }

    private func readable() {
        let scratch = pool.owner.readBuffer
        let result: Syscall.IOResult
        do {
            result = try Syscall.read(fd, scratch.baseAddress!, scratch.count)
        } catch {
            fail(HTTPClientError(.read, operation: "read", errno: error.errno, detail: peer), retryable: true)
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            guard state == .active else {
                close()  // the server closed an idle connection
                return
            }
            do {
                if let message = try parser.finish(&inbound) {
                    deliver(message, reusable: false)
                    return
                }
                fail(HTTPClientError(.connectionClosed, operation: "read", detail: peer), retryable: true)
            } catch {
                fail(invalidResponse(error), retryable: false)
            }
        case .processed(let n):
            guard state == .active else {
                close()  // bytes nobody asked for: the stream is out of sync
                return
            }
            hasReceivedBytes = true
            inbound.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
            do {
                if let message = try parser.next(&inbound) {
                    deliver(message, reusable: message.keepAlive)
                }
            } catch {
                fail(invalidResponse(error), retryable: false)
            }
        }
    }

    private func invalidResponse(_ error: HTTPResponseParseError) -> HTTPClientError {
        HTTPClientError(.invalidResponse, operation: "read", detail: "\(peer): \(error)")
    }

    private func deliver(_ message: HTTPResponseParser.Message, reusable: Bool) {
        guard let task else { return }
        self.task = nil
        let keep = reusable && isWriteDone && !task.wantsClose && inbound.readableCount == 0
        task.finish(.success(message.response))
        if keep {
            state = .idle
            idleSince = Syscall.monotonicNanoseconds()
            inbound.reset()
            pool.connectionBecameIdle(self)
        } else {
            close()
        }
    }

    /// Fails the carried request (or retries it once when the failure means the server had closed this
    /// reused connection before answering), then closes.
    private func fail(_ error: HTTPClientError, retryable: Bool) {
        guard state != .closed else { return }
        let failed = task
        task = nil
        let shouldRetry =
            retryable && error.isStaleConnection && isReused && !hasReceivedBytes
            && failed.map { !$0.hasRetried && !$0.isDone } == true
        closeSocket()
        if shouldRetry, let failed {
            failed.hasRetried = true
            failed.connection = nil
            pool.connectionClosed(self, retrying: failed)
        } else {
            failed?.finish(.failure(error))
            pool.connectionClosed(self, retrying: nil)
        }
    }

    // MARK: Timeouts and closing

    /// Called on every loop tick: connect timeout, request timeout, idle timeout.
    func checkTimeout(now: UInt64, idleTimeout: UInt64) {
        switch state {
        case .connecting where now >= connectDeadline:
            fail(
                HTTPClientError(.connectTimeout, operation: "connect", errno: ETIMEDOUT, detail: peer), retryable: false
            )
        case .connecting, .active:
            if let task, now >= task.deadline {
                fail(HTTPClientError(.timeout, operation: "request", detail: peer), retryable: false)
            }
        case .idle where now >= idleSince + idleTimeout:
            close()
        default:
            break
        }
    }

    /// The carried request was cancelled (and already failed): the stream is mid-exchange, so close.
    func abandon() {
        task = nil
        close()
    }

    /// Closes the socket and leaves the pool; a carried request fails with `error`.
    func close(failing error: HTTPClientError? = nil) {
        guard state != .closed else { return }
        let failed = task
        task = nil
        closeSocket()
        if let error { failed?.finish(.failure(error)) }
        pool.connectionClosed(self, retrying: nil)
    }

    private func closeSocket() {
        state = .closed
        if fd >= 0 {
            loop.deregister(fd: fd)
            Syscall.close(fd)
            fd = -1
        }
    }

    private func setInterest(_ newInterest: UInt32) {
        guard newInterest != interest, fd >= 0 else { return }
        interest = newInterest
        loop.modify(fd: fd, events: newInterest)
    }
}
