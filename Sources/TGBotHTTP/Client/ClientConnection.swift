import CTGBotLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One TCP connection of the client: non-blocking connect, TLS handshake for `https`, request write, response
/// read, keep-alive.
///
/// Lives on its pool's loop and is touched only there. For `https` a ``TLSSession`` sits between the socket
/// and the HTTP bytes: received ciphertext goes into it and plaintext comes out for the unchanged
/// ``HTTPResponseParser``; requests go in as plaintext and the ciphertext it produces is what ``flush()`` writes. It carries at most one request at a time (no
/// pipelining); when a response completes and both sides allow keep-alive, it goes back to its
/// ``ConnectionPool`` as idle. While idle it stays registered for reading, so a server closing it is noticed
/// and the connection leaves the pool.
final class ClientConnection: EpollHandler {
    private enum State { case connecting, handshaking, active, idle, closed }

    private unowned let pool: ConnectionPool
    private let addresses: [SocketAddress]
    private var addressIndex = 0
    private(set) var fd: Int32 = -1
    private var state = State.connecting
    private var interest: UInt32 = 0
    private var task: ClientRequestTask?
    private var isReused = false
    private var hasReceivedBytes = false
    /// Bytes to send: the request (plain) or ciphertext (TLS), sent from ``outboundOffset``.
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    /// The TLS layer, for `https` connections once TCP is connected.
    private var tls: TLSSession?
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
        guard pool.key.isTLS else {
            start(task, reused: false)
            return
        }
        guard let context = pool.tlsContext else {
            fail(HTTPClientError(.tlsConfiguration, operation: "SSL_connect", detail: peer), retryable: false)
            return
        }
        do {
            tls = try TLSSession(context: context, host: pool.key.host, peer: peer, scratch: pool.owner.readBuffer)
        } catch {
            fail(error, retryable: false)
            return
        }
        state = .handshaking
        advanceHandshake()
    }

    /// Drives the TLS handshake with the ciphertext received so far; once done, sends the carried request.
    private func advanceHandshake() {
        guard let tls else { return }
        let isDone: Bool
        do {
            isDone = try tls.handshake()
        } catch {
            // Tell the server why (OpenSSL queued an alert such as bad_certificate), without waiting.
            var alert: [UInt8] = []
            tls.drainOutbound(into: &alert)
            sendBestEffort(alert)
            fail(error, retryable: false)
            return
        }
        tls.drainOutbound(into: &outbound)
        guard isDone else {
            flush()
            return
        }
        guard let task else {
            close()
            return
        }
        start(task, reused: false)  // also flushes the handshake's last flight
    }

    // MARK: Exchanges

    /// Sends `task` on this connection (fresh, or reused from the idle pool).
    func start(_ task: ClientRequestTask, reused: Bool) {
        self.task = task
        task.connection = self
        isReused = reused
        hasReceivedBytes = false
        isWriteDone = false
        parser.begin(requestMethod: task.method)
        state = .active
        if let tls {
            do {
                try tls.write(task.bytes)
            } catch {
                fail(error, retryable: false)
                return
            }
            tls.drainOutbound(into: &outbound)
        } else {
            outbound = task.bytes
            outboundOffset = 0
        }
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
        if (state == .active || state == .handshaking) && events & EPOLLOUT.rawValue != 0 { flush() }
    }

    /// Writes ``outbound`` until done or the socket is full; once done while carrying a request, the request is
    /// completely sent.
    private func flush() {
        while outboundOffset < outbound.count {
            let offset = outboundOffset
            let socket = fd
            let attempt = outbound.withUnsafeBytes { raw in
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
        outbound.removeAll(keepingCapacity: outbound.capacity <= 64 * 1024)
        outboundOffset = 0
        if state == .active && task != nil { isWriteDone = true }
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
            endOfStream()
        case .processed(let n):
            if let tls {
                tls.receive(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                decrypt(tls)
                return
            }
            guard state == .active else {
                close()  // bytes nobody asked for: the stream is out of sync
                return
            }
            inbound.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
            parseInbound()
        }
    }

    /// Continues the handshake or decrypts records after ciphertext arrived, then parses the plaintext.
    private func decrypt(_ tls: TLSSession) {
        if state == .handshaking {
            advanceHandshake()
            guard state == .active else { return }
        }
        let result: TLSSession.ReadResult
        do {
            result = try tls.read(into: &inbound)
        } catch {
            fail(error, retryable: false)
            return
        }
        // Reading may have produced records to send (a TLS 1.3 KeyUpdate answer).
        if tls.drainOutbound(into: &outbound) > 0 && state == .active { flush() }
        guard state == .active else {
            // An idle connection may receive TLS records that carry no data (TLS 1.3 session tickets); only
            // application data or close_notify make it unusable.
            if state == .idle && (result.count > 0 || result.isClosed) { close() }
            return
        }
        if result.count > 0 { parseInbound() }
        if result.isClosed { endOfStream() }
    }

    /// Parses the buffered plaintext of the current response.
    private func parseInbound() {
        hasReceivedBytes = true
        do {
            if let message = try parser.next(&inbound) {
                deliver(message, reusable: message.keepAlive)
            }
        } catch {
            fail(invalidResponse(error), retryable: false)
        }
    }

    /// The server closed the stream (TCP end of stream, or TLS close_notify).
    private func endOfStream() {
        switch state {
        case .active:
            do {
                if let message = try parser.finish(&inbound) {
                    deliver(message, reusable: false)
                    return
                }
                fail(HTTPClientError(.connectionClosed, operation: "read", detail: peer), retryable: true)
            } catch {
                fail(invalidResponse(error), retryable: false)
            }
        case .handshaking:
            fail(
                HTTPClientError(
                    .tlsHandshake, operation: "SSL_connect", detail: peer,
                    reason: "the server closed the connection during the handshake"),
                retryable: false)
        default:
            close()  // the server closed an idle connection
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
        closeSocket(isClean: false)
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
        case .connecting where now >= connectDeadline, .handshaking where now >= connectDeadline:
            let operation = state == .handshaking ? "SSL_connect" : "connect"
            fail(
                HTTPClientError(.connectTimeout, operation: operation, errno: ETIMEDOUT, detail: peer), retryable: false
            )
        case .connecting, .handshaking, .active:
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
        closeSocket(isClean: true)
        if let error { failed?.finish(.failure(error)) }
        pool.connectionClosed(self, retrying: nil)
    }

    /// Closes the socket; `isClean` (no failure) first sends TLS close_notify when the session is healthy.
    private func closeSocket(isClean: Bool) {
        state = .closed
        if let tls, isClean {
            // close_notify (RFC 8446 §6.1) on a connection we close cleanly; never waited for.
            tls.shutdown()
            var alert: [UInt8] = []
            tls.drainOutbound(into: &alert)
            sendBestEffort(alert)
        }
        tls = nil
        if fd >= 0 {
            loop.deregister(fd: fd)
            Syscall.close(fd)
            fd = -1
        }
    }

    /// One non-blocking send of `bytes` (a TLS alert) before closing; a full or broken socket just drops them.
    private func sendBestEffort(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, fd >= 0 else { return }
        let socket = fd
        _ = bytes.withUnsafeBytes { raw in try? Syscall.send(socket, raw.baseAddress!, raw.count) }
    }

    private func setInterest(_ newInterest: UInt32) {
        guard newInterest != interest, fd >= 0 else { return }
        interest = newInterest
        loop.modify(fd: fd, events: newInterest)
    }
}
