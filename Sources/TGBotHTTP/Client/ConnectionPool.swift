/// The connections of one ``ClientLoop`` to one `host:port`.
///
/// A request takes the most recently used idle connection (LIFO: warm connections stay warm and the rest age
/// out through the idle timeout), else opens a new one while under ``capacity``, else waits in FIFO order until
/// a connection frees or closes. Confined to its loop's thread.
final class ConnectionPool: @unchecked Sendable {
    // Sendable: every mutable property is confined to `owner.loop`'s thread; the only closures that capture the
    // pool are submitted to that loop with `execute`.

    /// Host, port and whether TLS is spoken (`https`): the pool's identity.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        var host: String
        var port: Int
        var isTLS = false
        var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    let key: Key
    unowned let owner: ClientLoop
    /// The most connections this pool opens.
    let capacity: Int
    private var addresses: [SocketAddress]
    /// The TLS context new connections of an `https` pool are made from.
    private(set) var tlsContext: TLSClientContext?
    private var idle: [ClientConnection] = []
    private var connections: [ObjectIdentifier: ClientConnection] = [:]
    private var waiting: [ClientRequestTask] = []
    private var waitingHead = 0
    private var isDrainScheduled = false

    init(key: Key, owner: ClientLoop, capacity: Int, addresses: [SocketAddress]) {
        self.key = key
        self.owner = owner
        self.capacity = max(1, capacity)
        self.addresses = addresses
    }

    /// Open or opening connections.
    var openCount: Int { connections.count }

    /// Runs `task` on an idle connection, a new one, or queues it.
    func submit(_ task: ClientRequestTask, addresses fresh: [SocketAddress], tlsContext: TLSClientContext?) {
        addresses = fresh
        if let tlsContext { self.tlsContext = tlsContext }
        if let connection = idle.popLast() {
            connection.start(task, reused: true)
        } else if connections.count < capacity {
            open(for: task)
        } else {
            waiting.append(task)
        }
    }

    private func open(for task: ClientRequestTask) {
        let connection = ClientConnection(pool: self, addresses: addresses)
        connections[ObjectIdentifier(connection)] = connection
        connection.connect(carrying: task)
    }

    /// A connection finished an exchange and may be reused.
    func connectionBecameIdle(_ connection: ClientConnection) {
        if let next = dequeueWaiting() {
            connection.start(next, reused: true)
        } else {
            idle.append(connection)
        }
    }

    /// A connection closed; `retrying` is a request it carried that gets one more try on a fresh connection.
    func connectionClosed(_ connection: ClientConnection, retrying task: ClientRequestTask?) {
        guard connections.removeValue(forKey: ObjectIdentifier(connection)) != nil else { return }
        if let index = idle.lastIndex(where: { $0 === connection }) { idle.remove(at: index) }
        if let task {
            open(for: task)  // the slot just freed, so this stays within capacity
        } else if waitingHead < waiting.count && !isDrainScheduled {
            // Open for waiters on the next loop pass rather than recursively: a host refusing every connection
            // would otherwise fail the whole queue in one deep call chain.
            isDrainScheduled = true
            owner.loop.execute { self.drainWaiting() }
        }
    }

    private func drainWaiting() {
        isDrainScheduled = false
        while connections.count < capacity, let next = dequeueWaiting() {
            open(for: next)
        }
    }

    private func dequeueWaiting() -> ClientRequestTask? {
        while waitingHead < waiting.count {
            let task = waiting[waitingHead]
            waitingHead += 1
            if waitingHead == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingHead = 0
            } else if waitingHead >= 1024 && waitingHead * 2 >= waiting.count {
                waiting.removeSubrange(0..<waitingHead)
                waitingHead = 0
            }
            if !task.isDone { return task }
        }
        return nil
    }

    /// Called on every loop tick: fails queued requests past their deadline, times out connections.
    func tick(now: UInt64, idleTimeout: UInt64) {
        if waitingHead < waiting.count {
            for index in waitingHead..<waiting.count where now >= waiting[index].deadline {
                waiting[index].finish(.failure(HTTPClientError(.timeout, operation: "request", detail: "\(key)")))
            }
        }
        for connection in Array(connections.values) { connection.checkTimeout(now: now, idleTimeout: idleTimeout) }
    }

    /// Fails everything queued or in flight and closes every connection (client shutdown).
    func closeAll() {
        let error = HTTPClientError(.shutdown, operation: "request", detail: "\(key)")
        while let task = dequeueWaiting() { task.finish(.failure(error)) }
        for connection in Array(connections.values) { connection.close(failing: error) }
        idle.removeAll()
    }
}
