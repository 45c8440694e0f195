#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// systemd socket activation (`sd_listen_fds(3)` protocol), implemented without libsystemd.
///
/// systemd passes listening sockets starting at descriptor 3 and sets `LISTEN_PID` to the service's pid and
/// `LISTEN_FDS` to their count. The variables are only honoured when `LISTEN_PID` names this process, so a
/// child process never mistakes its parent's sockets for its own.
public enum SystemdActivation {
    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    public static let firstDescriptor: Int32 = 3

    /// The descriptors handed over by systemd, or an empty array when the process was not socket-activated.
    ///
    /// - Parameter environment: the process environment (injectable for tests).
    /// - Parameter pid: this process's id.
    public static func listenDescriptors(environment: [String: String], pid: Int32 = getpid()) -> [Int32] {
        guard let pidText = environment["LISTEN_PID"], Int32(pidText) == pid,
            let countText = environment["LISTEN_FDS"], let count = Int32(countText), count > 0, count < 1024
        else { return [] }
        return (0..<count).map { firstDescriptor + $0 }
    }
}
