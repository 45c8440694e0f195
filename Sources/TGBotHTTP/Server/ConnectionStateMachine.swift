/// The phases and deadlines of one connection, without any I/O.
///
/// The connection shell reports what happened (bytes arrived, a head or a request was parsed, a response was
/// written) and asks, on every tick of its loop, what a deadline that passed requires. Keeping this a value
/// with explicit times makes every timeout testable without sockets or sleeping.
///
/// Deadlines (RFC 9112 §9.5 leaves their values to the server):
/// - idle between requests: ``Timeouts/idle`` → close quietly;
/// - from a request's first byte to the end of its head: ``Timeouts/header`` → 408 and close (slowloris);
/// - from the head to the end of the content: ``Timeouts/body`` → 408 and close;
/// - writing a response to a client that does not read: ``Timeouts/write`` → close.
/// While a handler runs there is no deadline here: the handler owns its time.
package struct ConnectionStateMachine: Sendable {
    /// What the connection is doing.
    package enum Phase: Sendable, Equatable {
        case idle, readingHead, readingBody, handling, writing, closed
    }

    /// What a passed deadline requires.
    package enum TimeoutAction: Sendable, Equatable {
        case none
        /// Close without a response.
        case close
        /// Answer `408 Request Timeout` with `Connection: close`, then close.
        case requestTimeout
    }

    /// Timeout lengths in nanoseconds.
    package struct Timeouts: Sendable, Equatable {
        package var header: UInt64
        package var body: UInt64
        package var idle: UInt64
        package var write: UInt64

        package init(header: UInt64, body: UInt64, idle: UInt64, write: UInt64) {
            self.header = header
            self.body = body
            self.idle = idle
            self.write = write
        }
    }

    package let timeouts: Timeouts
    package private(set) var phase: Phase = .idle
    /// When the current phase times out (monotonic nanoseconds); `.max` for none.
    package private(set) var deadline: UInt64
    /// Whether the server is shutting down: the current exchange is the last.
    package private(set) var isDraining = false

    /// A new connection, idle since `now`.
    package init(timeouts: Timeouts, now: UInt64) {
        self.timeouts = timeouts
        self.deadline = now &+ timeouts.idle
    }

    /// Bytes of a request arrived: an idle connection starts its header deadline.
    package mutating func receivedBytes(now: UInt64) {
        if phase == .idle {
            phase = .readingHead
            deadline = now &+ timeouts.header
        }
    }

    /// The head was parsed; the content follows (the parser reports its end at once when there is none).
    package mutating func receivedHead(now: UInt64) {
        phase = .readingBody
        deadline = now &+ timeouts.body
    }

    /// The whole request was received; a handler runs now.
    package mutating func receivedRequest() {
        phase = .handling
        deadline = .max
    }

    /// A response started to be written.
    package mutating func startedWriting(now: UInt64) {
        phase = .writing
        deadline = now &+ timeouts.write
    }

    /// The response was fully written. Returns whether the connection stays open for another request.
    package mutating func finishedWriting(now: UInt64, keepAlive: Bool, hasBufferedBytes: Bool) -> Bool {
        guard keepAlive && !isDraining else {
            phase = .closed
            return false
        }
        if hasBufferedBytes {
            phase = .readingHead
            deadline = now &+ timeouts.header
        } else {
            phase = .idle
            deadline = now &+ timeouts.idle
        }
        return true
    }

    /// Whether a response written now may keep the connection open.
    package var allowsKeepAlive: Bool { !isDraining }

    /// The server began a graceful shutdown. Returns true when the connection should close right away
    /// (it is idle); otherwise it closes after its current exchange.
    package mutating func beginDraining() -> Bool {
        isDraining = true
        if phase == .idle {
            phase = .closed
            return true
        }
        return false
    }

    /// The connection was closed.
    package mutating func closed() {
        phase = .closed
        deadline = .max
    }

    /// What to do at `now` about the current deadline.
    package func timeoutAction(now: UInt64) -> TimeoutAction {
        guard now >= deadline else { return .none }
        switch phase {
        case .idle, .writing: return .close
        case .readingHead, .readingBody: return .requestTimeout
        case .handling, .closed: return .none
        }
    }
}
