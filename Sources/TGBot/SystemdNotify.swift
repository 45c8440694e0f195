import Logging
import TGBotHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells systemd about the daemon's state (`Type=notify` services), without libsystemd.
///
/// Built from the environment systemd gives the service: `$NOTIFY_SOCKET` (where to send) and
/// `$WATCHDOG_USEC`/`$WATCHDOG_PID` (whether and how often to ping the watchdog). When `$NOTIFY_SOCKET` is unset
/// (a shell, a test, `Type=exec`) every call is a no-op, so the daemon can call it unconditionally.
///
/// ```swift
/// let systemd = SystemdNotifier(environment: ProcessInfo.processInfo.environment, logger: logger)
/// systemd.notify(.ready, .status("Accepting updates"))
/// await systemd.runWatchdog { server.isResponsive() }   // WATCHDOG=1 every WATCHDOG_USEC/2 until cancelled
/// systemd.notify(.stopping)
/// ```
///
/// Thread-safety: an immutable value; notifications may be sent from any thread.
public struct SystemdNotifier: Sendable {
    /// One assignment in a notification datagram (`sd_notify(3)`).
    public enum State: Sendable, Equatable {
        /// `READY=1`: start-up is finished; systemd starts units ordered after this one.
        case ready
        /// `STOPPING=1`: shutdown has begun.
        case stopping
        /// `WATCHDOG=1`: the daemon is alive; resets the `WatchdogSec=` timer.
        case watchdog
        /// `STATUS=…`: a one-line status shown by `systemctl status`. Newlines are replaced by spaces.
        case status(String)
        /// `EXTEND_TIMEOUT_USEC=…`: asks for more time to start or stop, counted from now.
        case extendTimeout(Duration)

        /// The `KEY=VALUE` text.
        public var assignment: String {
            switch self {
            case .ready: "READY=1"
            case .stopping: "STOPPING=1"
            case .watchdog: "WATCHDOG=1"
            case .status(let text):
                "STATUS=" + String(text.map { $0.isNewline ? " " : $0 })
            case .extendTimeout(let duration):
                "EXTEND_TIMEOUT_USEC=\(Int64(max(0, duration / .microseconds(1))))"
            }
        }
    }

    /// A notifier that sends nothing.
    public static let disabled = SystemdNotifier(socket: nil)

    /// Where notifications go, or nil when not running under a `Type=notify` service.
    public let socket: SystemdNotifySocket?
    /// How often ``runWatchdog(isHealthy:)`` pings: half of `WatchdogSec=`, or nil when there is no watchdog.
    public let watchdogInterval: Duration?
    let logger: Logger

    /// Creates a notifier for an explicit socket (tests, or a caller that parsed the environment itself).
    /// - Parameters:
    ///   - socket: the destination; nil makes every call a no-op.
    ///   - watchdogInterval: the ping interval; nil or non-positive disables the watchdog.
    ///   - logger: where failed sends are reported.
    public init(
        socket: SystemdNotifySocket?, watchdogInterval: Duration? = nil,
        logger: Logger = Logger(label: "tgbotd.systemd", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.socket = socket
        self.watchdogInterval = watchdogInterval.flatMap { $0 > .zero ? $0 : nil }
        self.logger = logger
    }

    /// Creates a notifier from the variables systemd sets for the service.
    ///
    /// The watchdog is enabled when `WATCHDOG_USEC` is a positive number of microseconds and `WATCHDOG_PID` is
    /// either unset or this process's id (so a child process never pings on its parent's behalf).
    /// - Parameters:
    ///   - environment: the process environment (injectable for tests).
    ///   - pid: this process's id.
    ///   - logger: where failed sends are reported.
    public init(
        environment: [String: String], pid: Int32 = getpid(),
        logger: Logger = Logger(label: "tgbotd.systemd", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        let socket = environment["NOTIFY_SOCKET"].flatMap(SystemdNotifySocket.init)
        if let value = environment["NOTIFY_SOCKET"], !value.isEmpty, socket == nil {
            logger.warning("Unsupported NOTIFY_SOCKET; not notifying systemd", metadata: ["systemd.socket": "\(value)"])
        }
        var interval: Duration?
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
        if pidMatches, let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 {
            interval = .microseconds(Int64(clamping: microseconds / 2))
        }
        self.init(socket: socket, watchdogInterval: interval, logger: logger)
    }

    /// Whether notifications are sent at all.
    public var isEnabled: Bool { socket != nil }

    /// Sends the given assignments in one datagram. A no-op when ``isEnabled`` is false.
    /// - Returns: whether a datagram was sent. A failure is logged, never thrown: systemd being unreachable
    ///   must not stop the daemon.
    @discardableResult
    public func notify(_ states: State...) -> Bool { notify(states) }

    /// Sends the given assignments in one datagram. See ``notify(_:)-(State...)``.
    @discardableResult
    public func notify(_ states: [State]) -> Bool {
        guard let socket, !states.isEmpty else { return false }
        do {
            try socket.send(states.map(\.assignment).joined(separator: "\n"))
            return true
        } catch {
            logger.warning("Cannot notify systemd", metadata: ["error": "\(error)"])
            return false
        }
    }
}
