/// Where an ``HTTPServer`` listens.
public enum BindTarget: Sendable, Equatable, CustomStringConvertible {
    /// A TCP address. `host` is a numeric IPv4 or IPv6 address or a name resolved with `getaddrinfo`;
    /// port 0 asks the kernel for an ephemeral port (read it back from ``HTTPServer/localAddresses``).
    case tcp(host: String, port: Int)
    /// A Unix domain socket at `path` (for nginx `proxy_pass http://unix:/run/tgbotd.sock:`). A stale socket
    /// file left by a crash is replaced; any other file at that path is an error.
    case unix(path: String)
    /// An already-listening descriptor, such as one handed over by systemd socket activation.
    case descriptor(Int32)

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        case .descriptor(let fd): "fd:\(fd)"
        }
    }
}
