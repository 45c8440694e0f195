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
    private(set) var isDraining = false

    init(loop: EventLoop, context: ServerContext) {
        self.loop = loop
        self.context = context
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { readBuffer.deallocate() }

    /// Registers this loop for each listener (on the loop thread).
    func attach(listeners: [ListeningSocket]) {
        for listener in listeners {
            let acceptor = Acceptor(listener: listener, owner: self)
            acceptors.append(acceptor)
            acceptor.resume()
        }
        loop.setTickHook { [unowned self] in self.tick() }
    }

    func contains(_ connection: Connection) -> Bool { connections[connection.fd] === connection }

    /// Adopts an accepted socket.
    func adopt(fd: Int32, peer: String) {
        let connection = Connection(fd: fd, peer: peer, owner: self, context: context, now: Syscall.monotonicNanoseconds())
        do {
            try loop.register(fd: fd, events: connection.initialInterest, handler: connection)
        } catch {
            Syscall.close(fd)
            context.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        connections[fd] = connection
        if isDraining { connection.beginDraining() }
    }

    func remove(_ connection: Connection) {
        if connections[connection.fd] === connection {
            connections[connection.fd] = nil
            context.openConnections.subtract(1, ordering: .relaxed)
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
