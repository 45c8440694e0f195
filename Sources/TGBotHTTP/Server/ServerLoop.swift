import CTGBotLinux
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The server's state on one ``EventLoop``: its connections, its share of the listeners, its encoder and read
/// buffer. Confined to the loop thread.
final class ServerLoop: @unchecked Sendable {
    // Sendable: all mutable state is confined to `loop`'s thread; other threads reach it only through
    // `loop.execute` closures (see `HTTPServer`).

    let loop: EventLoop
    let context: ServerContext
    var encoder = HTTPResponseEncoder()
    /// A read buffer shared by this loop's connections (only one reads at a time).
    let readBuffer: UnsafeMutableRawBufferPointer
    private var connections: [Int32: Connection] = [:]
    private var acceptors: [Acceptor] = []
    /// Connections this loop owns or is about to adopt; read by other loops' acceptors to balance the load.
    let assignedConnections = Atomic<Int>(0)
    /// Every loop of the server, this one included (set before the threads start, then read-only).
    private(set) var peers: [ServerLoop] = []
    private(set) var isDraining = false
    /// Connections with a response encoded this iteration, written at its end (see ``scheduleFlush(_:)``).
    private var pendingFlush: [Connection] = []
    private var flushing: [Connection] = []

    init(loop: EventLoop, context: ServerContext) {
        self.loop = loop
        self.context = context
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { readBuffer.deallocate() }

    /// Registers this loop for each listener (on the loop thread).
    func attach(listeners: [ListeningSocket], peers: [ServerLoop]) {
        self.peers = peers
        for listener in listeners {
            let acceptor = Acceptor(listener: listener, owner: self)
            acceptors.append(acceptor)
            acceptor.resume()
        }
        loop.setTickHook { [unowned self] in self.tick() }
        let observer = context.configuration.onIterationEnd
        loop.setIterationEndHook { [unowned self] in
            self.flushPending()
            observer?()
        }
    }

    func contains(_ connection: Connection) -> Bool { connections[connection.fd] === connection }

    /// The loop that should own the next accepted connection: the one with the fewest, this one on a tie.
    ///
    /// `EPOLLEXCLUSIVE` wakes *an* idle loop, but under steady load the same loop tends to win every wakeup, so
    /// all of a benchmark's 40 connections could end on one thread while the other idles. Counting assignments
    /// and handing the socket over keeps the loops within one connection of each other.
    func leastLoadedLoop() -> ServerLoop {
        var best = self
        var bestCount = assignedConnections.load(ordering: .relaxed)
        for peer in peers where peer !== self {
            let count = peer.assignedConnections.load(ordering: .relaxed)
            if count < bestCount {
                best = peer
                bestCount = count
            }
        }
        best.assignedConnections.add(1, ordering: .relaxed)
        return best
    }

    /// Adopts an accepted socket (on this loop's thread); ``leastLoadedLoop()`` already counted it here.
    func adopt(fd: Int32, peer: String) {
        let connection = Connection(
            fd: fd, peer: peer, owner: self, context: context, now: Syscall.monotonicNanoseconds())
        do {
            try loop.register(fd: fd, events: connection.initialInterest, handler: connection)
        } catch {
            Syscall.close(fd)
            context.openConnections.subtract(1, ordering: .relaxed)
            assignedConnections.subtract(1, ordering: .relaxed)
            return
        }
        connections[fd] = connection
        if isDraining { connection.beginDraining() }
    }

    func remove(_ connection: Connection) {
        if connections[connection.fd] === connection {
            connections[connection.fd] = nil
            context.openConnections.subtract(1, ordering: .relaxed)
            assignedConnections.subtract(1, ordering: .relaxed)
        }
    }

    /// Writes `connection`'s encoded response at the end of this loop iteration instead of now.
    ///
    /// An iteration reads every ready connection, then runs their handlers. Sending each response as soon as it
    /// is encoded wakes its client in the middle of that batch (loopback delivers in the sender's context), and
    /// on a busy host the client then preempts this thread while the rest of the batch waits. Sending them all
    /// after the batch costs the first response the batch's remaining work, and saves the preemptions.
    func scheduleFlush(_ connection: Connection) {
        pendingFlush.append(connection)
    }

    private func flushPending() {
        // Flushing can start the next pipelined request, whose answer may schedule another flush: repeat.
        while !pendingFlush.isEmpty {
            swap(&pendingFlush, &flushing)
            for connection in flushing { connection.flushScheduled() }
            flushing.removeAll(keepingCapacity: true)
        }
    }

    private func tick() {
        let now = Syscall.monotonicNanoseconds()
        for acceptor in acceptors { acceptor.tick(now: now) }
        for connection in Array(connections.values) { connection.checkTimeout(now: now) }
    }

    /// Stops accepting on this loop.
    func stopAccepting() {
        for acceptor in acceptors { acceptor.stop() }
        acceptors.removeAll()
    }

    /// Graceful shutdown: idle connections close now, busy ones after their current exchange.
    func beginDraining() {
        isDraining = true
        for connection in Array(connections.values) { connection.beginDraining() }
    }

    /// Closes every connection at once (the shutdown deadline passed).
    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }
}
