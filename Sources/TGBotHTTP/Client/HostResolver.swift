import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A resolved socket address (IPv4 or IPv6), ready for `connect`.
struct SocketAddress: Sendable {
    /// The raw `sockaddr_in` / `sockaddr_in6` bytes.
    let bytes: [UInt8]
    /// `AF_INET` or `AF_INET6`.
    let family: Int32
}

/// Resolves `host:port` to addresses without blocking an event loop or the cooperative pool.
///
/// IP literals are converted in place with `inet_pton`. Names go through `getaddrinfo`, which blocks, so it runs
/// on a Dispatch global queue and is bridged with a continuation; results are cached per `host:port` for
/// ``ttl`` (getaddrinfo does not report the DNS TTL).
final class HostResolver: Sendable {
    private struct Entry {
        var addresses: [SocketAddress]
        var expires: UInt64
    }

    private let cache = Mutex<[String: Entry]>([:])
    private let ttlNanoseconds: UInt64

    init(ttl: Duration = .seconds(60)) {
        ttlNanoseconds = ttl.clampedNanoseconds
    }

    /// The addresses of `host:port`, IPv4 and IPv6 in the resolver's order.
    func resolve(host: String, port: Int) async throws(HTTPClientError) -> [SocketAddress] {
        if let literal = Self.literal(host: host, port: port) { return [literal] }
        let key = "\(host):\(port)"
        let now = Syscall.monotonicNanoseconds()
        if let cached = cache.withLock({ $0[key] }), cached.expires > now { return cached.addresses }
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<[SocketAddress], HTTPClientError>, Never>) in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.getaddrinfo(host: host, port: port))
            }
        }
        let addresses = try result.get()
        cache.withLock { $0[key] = Entry(addresses: addresses, expires: now + ttlNanoseconds) }
        return addresses
    }

    /// The address of an IPv4 or IPv6 literal, or nil when `host` is a name.
    static func literal(host: String, port: Int) -> SocketAddress? {
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            return SocketAddress(bytes: withUnsafeBytes(of: v4) { Array($0) }, family: AF_INET)
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            return SocketAddress(bytes: withUnsafeBytes(of: v6) { Array($0) }, family: AF_INET6)
        }
        return nil
    }

    /// Blocking resolution; call only off the loops and the cooperative pool.
    private static func getaddrinfo(host: String, port: Int) -> Result<[SocketAddress], HTTPClientError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = Glibc.getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else {
            return .failure(HTTPClientError(.resolve, operation: "getaddrinfo", errno: rc, detail: "\(host):\(port)"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor = list
        while let info = cursor {
            let family = info.pointee.ai_family
            if let address = info.pointee.ai_addr, family == AF_INET || family == AF_INET6 {
                let raw = UnsafeRawBufferPointer(start: address, count: Int(info.pointee.ai_addrlen))
                addresses.append(SocketAddress(bytes: Array(raw), family: family))
            }
            cursor = info.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            return .failure(
                HTTPClientError(.resolve, operation: "getaddrinfo", errno: EAI_NONAME, detail: "\(host):\(port)"))
        }
        return .success(addresses)
    }
}
