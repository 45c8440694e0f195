/// Settings of an ``HTTPServer``; every field has a production default.
public struct HTTPServerConfiguration: Sendable {
    /// Where to listen. Several targets may be served at once (for example TCP and a Unix socket).
    public var bindTargets: [BindTarget]
    /// The number of I/O threads (each with its own `epoll`). Default: 2, or 1 on a single-core machine.
    public var ioThreads: Int
    /// Parser limits: request line, header section, header count, body size.
    public var limits: HTTPParserLimits
    /// How long a client may take from the first byte of a request to the end of its header section (slowloris).
    public var headerTimeout: Duration
    /// How long a client may take to send a request's content after its header section.
    public var bodyTimeout: Duration
    /// How long a keep-alive connection may sit idle between requests.
    public var idleTimeout: Duration
    /// How long a response may take to be written to a client that does not read.
    public var writeTimeout: Duration
    /// The most open connections; further ones get `503` and are closed at once.
    public var maxConnections: Int
    /// The `listen(2)` backlog.
    public var backlog: Int32
    /// How many bytes of a following pipelined request are read ahead while a handler runs.
    public var maxReadAheadBytes: Int
    /// Called on each I/O thread at the end of every loop iteration, after the iteration's responses were
    /// written: where a layer above can finish per-batch work it deferred (the bot application wakes the worker
    /// pool's threads there, once per batch instead of once per request). It must not block. Default: none.
    public var onIterationEnd: (@Sendable () -> Void)?

    /// Creates a configuration; every argument has a production default.
    public init(
        bindTargets: [BindTarget] = [.tcp(host: "127.0.0.1", port: 8080)],
        ioThreads: Int = HTTPServerConfiguration.defaultIOThreads,
        limits: HTTPParserLimits = HTTPParserLimits(),
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(75),
        writeTimeout: Duration = .seconds(30),
        maxConnections: Int = 4096,
        backlog: Int32 = 1024,
        maxReadAheadBytes: Int = 64 * 1024
    ) {
        self.bindTargets = bindTargets
        self.ioThreads = max(1, ioThreads)
        self.limits = limits
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = max(1, maxConnections)
        self.backlog = backlog
        self.maxReadAheadBytes = maxReadAheadBytes
    }

    /// Two I/O threads, or one on a single-core machine: request parsing is cheap, so more threads than this
    /// only take cores from the handlers.
    public static var defaultIOThreads: Int {
        min(2, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Duration {
    /// The duration in whole nanoseconds, saturating at the bounds of `UInt64`.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let (total, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : total &+ UInt64(attoseconds / 1_000_000_000)
    }
}
