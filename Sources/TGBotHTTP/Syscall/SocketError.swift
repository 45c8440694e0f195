#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call, carrying the operation name and `errno`.
///
/// The description names the call and renders `errno` through `strerror`, so a log line or a CLI error reads
/// like `bind(127.0.0.1:8080): Address already in use (errno 98)`.
public struct SocketError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The system call or operation that failed, such as `"bind"` or `"epoll_ctl"`.
    public var operation: String
    /// The `errno` value at the time of failure, or 0 when the failure has no errno.
    public var errno: Int32
    /// Extra context, such as the address being bound.
    public var detail: String?

    /// Creates an error for `operation` with an explicit errno.
    public init(_ operation: String, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.detail = detail
    }

    /// A human-readable message with `strerror` text.
    public var description: String {
        let what = detail.map { "\(operation)(\($0))" } ?? operation
        guard errno != 0 else { return what }
        return "\(what): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
