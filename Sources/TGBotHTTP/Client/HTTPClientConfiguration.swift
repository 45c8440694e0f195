/// Settings for ``HTTPClient``; every field has a default.
public struct HTTPClientConfiguration: Sendable {
    /// I/O threads the connections run on. Default 1: one loop saturates a local Bot API server long before the
    /// handlers do.
    public var eventLoopCount: Int = 1
    /// The most connections open (or opening) to one `host:port`, over all loops; requests beyond that wait in
    /// FIFO order for a connection. Default 256.
    public var maxConnectionsPerHost: Int = 256
    /// How long establishing a connection may take, the TLS handshake included. Default 10 s.
    public var connectTimeout: Duration = .seconds(10)
    /// How long a kept-alive connection may sit unused in the pool before it is closed. Default 30 s.
    public var idleTimeout: Duration = .seconds(30)
    /// The timeout of a request given none: from ``HTTPClient/execute(_:timeout:)`` to the last response byte,
    /// waiting for a connection included. Default 60 s.
    public var requestTimeout: Duration = .seconds(60)
    /// Limits on responses: header section size and count, content size (default 64 MiB).
    public var limits: HTTPParserLimits = HTTPParserLimits(
        maxRequestLineBytes: 8 * 1024, maxHeaderBytes: 64 * 1024, maxHeaderCount: 200, maxBodyBytes: 64 * 1024 * 1024)
    /// TLS settings for `https` requests: trust store, extra CA file, verification.
    public var tls: HTTPClientTLSConfiguration = HTTPClientTLSConfiguration()

    /// Creates a configuration with the defaults listed on each property.
    public init(
        eventLoopCount: Int = 1, maxConnectionsPerHost: Int = 256, connectTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(30), requestTimeout: Duration = .seconds(60),
        tls: HTTPClientTLSConfiguration = HTTPClientTLSConfiguration()
    ) {
        self.eventLoopCount = eventLoopCount
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.tls = tls
    }
}

extension Duration {
    /// The duration in nanoseconds, clamped to zero and saturating, for loop deadlines.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        if seconds > 1_000_000_000 { return UInt64(seconds) * 1_000_000_000 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
