import CTGBotLinux
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One accepted connection: the I/O shell around ``HTTPRequestParser`` and ``ConnectionStateMachine``.
///
/// Pipelined requests are answered strictly in order by handling one request at a time: while a handler runs,
/// up to ``HTTPServerConfiguration/maxReadAheadBytes`` of what follows is buffered and reading then pauses,
/// which is also the backpressure on a client that pipelines faster than it reads.
final class Connection: EpollHandler, @unchecked Sendable {
    // Sendable: every stored property is confined to `loop`'s thread. The only reference that leaves the thread
    // is captured by the handler task, which runs with `loop` as its executor preference and touches the
    // connection only after the handler returns, back on the loop thread (asserted in `complete`).

    let fd: Int32
    let id: UInt64
    let peer: String
    private unowned let owner: ServerLoop
    private let loop: EventLoop
    private let context: ServerContext
    private var inbound = InboundBuffer()
    private var parser: HTTPRequestParser
    private var machine: ConnectionStateMachine
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var interest: UInt32
    private var head: HTTPRequestHead?
    /// The route's handler for `head`, resolved once when the head arrives.
    private var handler: Router.Handler?
    private var earlyResponse: HTTPResponse?
    private var closeAfterResponse = false
    private var isPeerClosed = false
    private var isProcessing = false
    private var isClosed = false
    private var isFlushScheduled = false

    init(fd: Int32, peer: String, owner: ServerLoop, context: ServerContext, now: UInt64) {
        self.fd = fd
        self.peer = peer
        self.owner = owner
        self.loop = owner.loop
        self.context = context
        self.id = context.connectionCounter.add(1, ordering: .relaxed).newValue
        self.parser = HTTPRequestParser(limits: context.configuration.limits)
        self.machine = ConnectionStateMachine(timeouts: context.timeouts, now: now)
        self.interest = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
    }

    var isIdle: Bool { machine.phase == .idle }

    var initialInterest: UInt32 { interest }

    // MARK: Events

    func handle(events: UInt32) {
        if events & EPOLLIN.rawValue != 0 || events & EPOLLRDHUP.rawValue != 0 {
            readable()
        } else if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            close()
            return
        }
        if !isClosed && events & EPOLLOUT.rawValue != 0 {
            flush()
        }
    }

    private func readable() {
        if machine.phase == .handling || machine.phase == .writing {
            if inbound.readableCount >= context.configuration.maxReadAheadBytes {
                setInterest(interest & ~EPOLLIN.rawValue)
                return
            }
        }
        let scratch = owner.readBuffer
        let result: Syscall.IOResult
        do {
            result = try Syscall.read(fd, scratch.baseAddress!, scratch.count)
        } catch {
            close()
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            isPeerClosed = true
            setInterest(interest & ~(EPOLLIN.rawValue | EPOLLRDHUP.rawValue))
            switch machine.phase {
            case .idle:
                close()
                return
            case .handling, .writing:
                return  // answer what is in flight, then close
            default:
                process()
                if machine.phase == .readingHead || machine.phase == .readingBody || machine.phase == .idle {
                    close()  // the request can never complete
                }
            }
        case .processed(let n):
            inbound.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
            machine.receivedBytes(now: Syscall.monotonicNanoseconds())
            process()
        }
    }

    // MARK: Parsing

    /// Parses buffered bytes and starts handlers until the connection must wait.
    private func process() {
        if isProcessing { return }
        isProcessing = true
        defer { isProcessing = false }
        while true {
            switch machine.phase {
            case .handling, .writing, .closed:
                return
            case .idle:
                if inbound.readableCount == 0 { return }
                machine.receivedBytes(now: Syscall.monotonicNanoseconds())
            case .readingHead, .readingBody:
                break
            }
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next(&inbound)
            } catch {
                context.logger.debug(
                    "Rejected malformed request",
                    metadata: [
                        "conn.id": "\(id)", "net.peer": "\(peer)", "http.status": "\(error.status.code)",
                        "error": "\(error)",
                    ])
                closeAfterResponse = true
                complete(error.response(), forHEAD: false, version: .http1_1, keepAlive: false)
                return
            }
            guard let event else { return }
            switch event {
            case .head(let parsed):
                headReceived(parsed)
            case .end(let body):
                requestReceived(body: body)
            }
        }
    }

    private func headReceived(_ parsed: HTTPRequestHead) {
        head = parsed
        earlyResponse = nil
        handler = nil
        let path = Self.path(of: parsed.target)
        switch context.router.resolve(method: parsed.method, path: path) {
        case .handler(let resolved):
            handler = resolved
        case .notFound:
            earlyResponse = HTTPResponse(status: .notFound, text: "not found\n")
        case .methodNotAllowed(let allow):
            var response = HTTPResponse(status: .methodNotAllowed, text: "method not allowed\n")
            response.headers.add(name: "Allow", value: allow)
            earlyResponse = response
        }
        let hasBody = parsed.framing != .none
        if hasBody && parsed.expectsContinue {
            if let response = earlyResponse {
                // Refuse before the client sends content it would otherwise stream for nothing (RFC 9110 §10.1.1).
                closeAfterResponse = true
                machine.receivedRequest()
                complete(response, forHEAD: false, version: parsed.version, keepAlive: false)
                return
            }
            if inbound.readableCount == 0 {
                enqueueRaw(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
        }
        machine.receivedHead(now: Syscall.monotonicNanoseconds())
    }

    private func requestReceived(body: [UInt8]) {
        guard let head else { return }
        machine.receivedRequest()
        let keepAlive = head.keepAlive && !closeAfterResponse
        if let response = earlyResponse {
            complete(response, forHEAD: head.method == .head, version: head.version, keepAlive: keepAlive)
            return
        }
        guard let handler else { return }
        self.handler = nil
        let request = HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body,
            remoteAddress: peer, id: context.requestCounter.add(1, ordering: .relaxed).newValue)
        let isHEAD = head.method == .head
        let version = head.version
        let logger = context.logger
        // Thread → async bridge: the handler task prefers this connection's loop, so a handler that does not
        // suspend runs and answers within this loop iteration.
        Task(executorPreference: loop) {
            let response: HTTPResponse
            do {
                response = try await handler(request)
            } catch let error as any HTTPResponseError {
                response = error.response()
            } catch {
                logger.info(
                    "Handler failed", metadata: ["request.id": "\(request.id)", "error": "\(error)"])
                response = HTTPResponse(status: .internalServerError, text: "internal server error\n")
            }
            self.finishHandling(response, forHEAD: isHEAD, version: version, keepAlive: keepAlive)
        }
    }

    private func finishHandling(_ response: HTTPResponse, forHEAD: Bool, version: HTTPVersion, keepAlive: Bool) {
        guard loop.inLoop else {
            loop.execute { self.finishHandling(response, forHEAD: forHEAD, version: version, keepAlive: keepAlive) }
            return
        }
        guard !isClosed, machine.phase == .handling else { return }  // closed meanwhile (timeout, shutdown deadline)
        complete(response, forHEAD: forHEAD, version: version, keepAlive: keepAlive)
        process()
    }

    private static func path(of target: String) -> String {
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return String(target[..<q]) }
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target[target.index(target.firstIndex(of: ":")!, offsetBy: 3)...]
            if let slash = afterScheme.firstIndex(of: "/") { return String(afterScheme[slash...]) }
            return "/"
        }
        return target
    }

    // MARK: Writing

    /// Encodes `response` and starts writing it.
    private func complete(_ response: HTTPResponse, forHEAD: Bool, version: HTTPVersion, keepAlive: Bool) {
        let keep = keepAlive && machine.allowsKeepAlive && !isPeerClosed
        owner.encoder.encode(response, forHEAD: forHEAD, version: version, keepAlive: keep, into: &outbound)
        closeAfterResponse = !keep
        head = nil
        handler = nil
        earlyResponse = nil
        machine.startedWriting(now: Syscall.monotonicNanoseconds())
        if !isFlushScheduled {
            isFlushScheduled = true
            owner.scheduleFlush(self)
        }
    }

    /// Writes the response ``complete`` encoded (at the end of the loop iteration; see ``ServerLoop/scheduleFlush(_:)``).
    func flushScheduled() {
        isFlushScheduled = false
        guard !isClosed else { return }
        flush()
    }

    /// Queues bytes outside a response exchange (`100 Continue`) and tries to send them.
    private func enqueueRaw(_ bytes: [UInt8]) {
        outbound.append(contentsOf: bytes)
        _ = sendOutbound()
    }

    /// Sends as much of `outbound` as the socket takes. Returns true when everything was written.
    private func sendOutbound() -> Bool {
        while outboundOffset < outbound.count {
            let result: Syscall.IOResult
            do {
                result = try outbound.withUnsafeBytes { raw throws(SocketError) in
                    try Syscall.send(fd, raw.baseAddress! + outboundOffset, raw.count - outboundOffset)
                }
            } catch {
                close()
                return false
            }
            switch result {
            case .wouldBlock:
                setInterest(interest | EPOLLOUT.rawValue)
                return false
            case .processed(let n):
                outboundOffset += n
            }
        }
        outbound.removeAll(keepingCapacity: outbound.capacity <= 64 * 1024)
        outboundOffset = 0
        if interest & EPOLLOUT.rawValue != 0 { setInterest(interest & ~EPOLLOUT.rawValue) }
        return true
    }

    private func flush() {
        guard sendOutbound() else { return }
        guard machine.phase == .writing else { return }
        let keepAlive = !closeAfterResponse
        let open = machine.finishedWriting(
            now: Syscall.monotonicNanoseconds(), keepAlive: keepAlive && !isPeerClosed,
            hasBufferedBytes: inbound.readableCount > 0)
        guard open else {
            close()
            return
        }
        if interest & EPOLLIN.rawValue == 0 && !isPeerClosed { setInterest(interest | EPOLLIN.rawValue) }
        if inbound.readableCount == 0 { inbound.reset() }
        process()
    }

    private func setInterest(_ newInterest: UInt32) {
        guard newInterest != interest, machine.phase != .closed else { return }
        interest = newInterest
        loop.modify(fd: fd, events: newInterest)
    }

    // MARK: Timeouts and shutdown

    /// Called on every loop tick.
    func checkTimeout(now: UInt64) {
        switch machine.timeoutAction(now: now) {
        case .none:
            return
        case .close:
            close()
        case .requestTimeout:
            context.logger.debug("Request timed out", metadata: ["conn.id": "\(id)", "net.peer": "\(peer)"])
            closeAfterResponse = true
            let version = head?.version ?? .http1_1
            complete(
                HTTPResponse(status: .requestTimeout, text: "request timeout\n"), forHEAD: false,
                version: version, keepAlive: false)
        }
    }

    /// Graceful shutdown: close if idle, else finish the current exchange and close.
    func beginDraining() {
        if machine.beginDraining() { close() }
    }

    /// Closes the socket and forgets the connection.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        machine.closed()
        loop.deregister(fd: fd)
        Syscall.close(fd)
        owner.remove(self)
    }
}
