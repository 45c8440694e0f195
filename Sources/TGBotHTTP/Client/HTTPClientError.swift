#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why ``HTTPClient`` produced no response.
///
/// A struct over a closed set of ``Code``s, so callers can match (`error.code == .timeout`) while new codes can
/// be added. The description names the operation (`connect`, `write`, `read`, `getaddrinfo`), the peer as
/// `host:port` and `errno` through `strerror`; it never quotes the request path, which may carry a secret (the
/// Bot API puts the token there).
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a value to match on.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case invalidURL, unsupportedScheme, resolve, connect, connectTimeout, write, read, connectionClosed
            case invalidResponse, timeout, shutdown, tlsConfiguration, tlsHandshake, certificateVerification, tls
        }
        private let value: Value

        /// The URL could not be parsed.
        public static let invalidURL = Code(value: .invalidURL)
        /// The scheme is neither `http` nor `https`.
        public static let unsupportedScheme = Code(value: .unsupportedScheme)
        /// `getaddrinfo` failed or found no address.
        public static let resolve = Code(value: .resolve)
        /// `connect` failed (refused, unreachable…).
        public static let connect = Code(value: .connect)
        /// The connection was not established within the connect timeout.
        public static let connectTimeout = Code(value: .connectTimeout)
        /// Sending the request failed.
        public static let write = Code(value: .write)
        /// Reading the response failed.
        public static let read = Code(value: .read)
        /// The server closed the connection before the response was complete.
        public static let connectionClosed = Code(value: .connectionClosed)
        /// The response is not valid HTTP/1.x.
        public static let invalidResponse = Code(value: .invalidResponse)
        /// The request did not complete within its timeout.
        public static let timeout = Code(value: .timeout)
        /// The client was shut down.
        public static let shutdown = Code(value: .shutdown)
        /// The TLS settings cannot be applied (an unreadable ``HTTPClientTLSConfiguration/additionalCAFile``,
        /// no trust store).
        public static let tlsConfiguration = Code(value: .tlsConfiguration)
        /// The TLS handshake failed for a reason other than the certificate: no common protocol version or
        /// cipher, an alert from the server, a server that does not speak TLS, the connection closed mid-way.
        public static let tlsHandshake = Code(value: .tlsHandshake)
        /// The server's certificate was rejected: untrusted chain, expired, or not issued for the host.
        public static let certificateVerification = Code(value: .certificateVerification)
        /// A TLS error after the handshake (a corrupt record, an alert).
        public static let tls = Code(value: .tls)

        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The operation that failed, such as `"connect"` or `"getaddrinfo"`.
    public let operation: String
    /// `errno` (or the `getaddrinfo` code for ``Code/resolve``), 0 when there is none.
    public let errno: Int32
    /// Context: the peer as `host:port`, or what was wrong with the response.
    public let detail: String
    /// For TLS failures, OpenSSL's reason, such as `"certificate verify failed: self-signed certificate"`;
    /// otherwise empty.
    public let reason: String

    init(_ code: Code, operation: String, errno: Int32 = 0, detail: String = "", reason: String = "") {
        self.code = code
        self.operation = operation
        self.errno = errno
        self.detail = detail
        self.reason = reason
    }

    /// Whether the failure means the server closed a kept-alive connection under us (`EPIPE`, `ECONNRESET`, or
    /// end of stream), the case a request on a reused connection is retried for.
    var isStaleConnection: Bool {
        switch code {
        case .connectionClosed: true
        case .read, .write: errno == ECONNRESET || errno == EPIPE
        default: false
        }
    }

    public var description: String {
        var text = operation
        if !detail.isEmpty { text += "(\(detail))" }
        switch code {
        case .resolve where errno != 0:
            text += ": \(String(cString: gai_strerror(errno)))"
        case .timeout:
            text += ": request timed out"
        case .connectTimeout:
            text += ": connect timed out"
        case .connectionClosed:
            text += ": connection closed before the response was complete"
        case .shutdown:
            text += ": the HTTP client is shut down"
        default:
            if !reason.isEmpty {
                text += ": \(reason)"
            } else if errno != 0 {
                text += ": \(String(cString: strerror(errno))) (errno \(errno))"
            }
        }
        return text
    }
}
