/// The client's state on one ``EventLoop``: a connection pool per `host:port` and a read buffer shared by the
/// loop's connections. Confined to the loop thread.
final class ClientLoop: @unchecked Sendable {
    // Sendable: `loop`, `configuration`, `capacityPerHost` and `readBuffer` (the pointer) are immutable; `pools`,
    // `isShutdown` and the buffer's bytes are confined to `loop`'s thread, reached only through `loop.execute`.

    let loop: EventLoop
    let configuration: HTTPClientConfiguration
    let capacityPerHost: Int
    /// A read buffer shared by this loop's connections (only one reads at a time).
    let readBuffer: UnsafeMutableRawBufferPointer
    private var pools: [ConnectionPool.Key: ConnectionPool] = [:]
    private var isShutdown = false

    init(loop: EventLoop, configuration: HTTPClientConfiguration, capacityPerHost: Int) {
        self.loop = loop
        self.configuration = configuration
        self.capacityPerHost = capacityPerHost
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        loop.setTickHook { [unowned self] in self.tick() }
    }

    deinit { readBuffer.deallocate() }

    /// Starts `task` (on the loop thread): fails it at once when cancelled or shut down.
    func submit(
        _ task: ClientRequestTask, key: ConnectionPool.Key, addresses: [SocketAddress], tlsContext: TLSClientContext?
    ) {
        if task.isCancelled {
            task.finish(.failure(CancellationError()))
            return
        }
        if isShutdown {
            task.finish(.failure(HTTPClientError(.shutdown, operation: "request", detail: "\(key)")))
            return
        }
        let pool: ConnectionPool
        if let existing = pools[key] {
            pool = existing
        } else {
            pool = ConnectionPool(key: key, owner: self, capacity: capacityPerHost, addresses: addresses)
            pools[key] = pool
        }
        pool.submit(task, addresses: addresses, tlsContext: tlsContext)
    }

    /// Open connections to `key` on this loop (loop thread).
    func openConnections(to key: ConnectionPool.Key) -> Int { pools[key]?.openCount ?? 0 }

    private func tick() {
        let now = Syscall.monotonicNanoseconds()
        let idleTimeout = configuration.idleTimeout.clampedNanoseconds
        for pool in pools.values { pool.tick(now: now, idleTimeout: idleTimeout) }
    }

    /// Fails all requests and closes all connections; later submissions fail (loop thread).
    func shutdown() {
        isShutdown = true
        for pool in pools.values { pool.closeAll() }
        pools.removeAll()
    }
}
