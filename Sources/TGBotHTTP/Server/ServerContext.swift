import Logging
import Synchronization

/// State shared by every loop of one server: immutable settings plus atomic counters.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    let logger: Logger
    let timeouts: ConnectionStateMachine.Timeouts
    /// Open connections across all loops, for the connection cap and for draining.
    let openConnections = Atomic<Int>(0)
    /// Source of request ids.
    let requestCounter = Atomic<UInt64>(0)
    /// Source of connection ids.
    let connectionCounter = Atomic<UInt64>(0)

    init(configuration: HTTPServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.timeouts = ConnectionStateMachine.Timeouts(
            header: configuration.headerTimeout.nanoseconds, body: configuration.bodyTimeout.nanoseconds,
            idle: configuration.idleTimeout.nanoseconds, write: configuration.writeTimeout.nanoseconds)
    }
}
