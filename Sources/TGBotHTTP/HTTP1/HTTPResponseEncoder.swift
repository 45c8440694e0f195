#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Serializes responses into bytes (RFC 9112 §4, §6).
///
/// The encoder owns the framing headers: it writes `Content-Length` (none for 1xx and 204), `Date`, and
/// `Connection`, and drops any of those a handler set, so a handler cannot desynchronise the stream.
/// It caches the `Date` value for the current second. One encoder per I/O thread.
struct HTTPResponseEncoder {
    private var cachedSecond: Int = -1
    private var cachedDate: [UInt8] = []

    /// Appends the encoded response to `out`.
    mutating func encode(
        _ response: HTTPResponse, forHEAD: Bool, version: HTTPVersion, keepAlive: Bool, into out: inout [UInt8]
    ) {
        let code = response.status.code
        out.append(contentsOf: version == .http1_0 ? "HTTP/1.0 ".utf8 : "HTTP/1.1 ".utf8)
        appendDecimal(code, to: &out)
        out.append(ASCII.space)
        out.append(contentsOf: response.status.reasonPhrase.utf8)
        out.append(contentsOf: "\r\n".utf8)
        let hasContentField = !(code < 200 || code == 204 || code == 304)
        if hasContentField {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: currentDate())
        out.append(contentsOf: "\r\n".utf8)
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        for field in response.headers {
            if Self.isReserved(field.name) { continue }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            // Never let a handler inject a line break into the head.
            for byte in field.value.utf8 where byte != ASCII.cr && byte != ASCII.lf { out.append(byte) }
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if hasContentField && !forHEAD { out.append(contentsOf: response.body) }
    }

    private static func isReserved(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: HTTPHeaders.namesEqual(name, "date")
        case 10: HTTPHeaders.namesEqual(name, "connection") || HTTPHeaders.namesEqual(name, "keep-alive")
        case 14: HTTPHeaders.namesEqual(name, "content-length")
        case 17: HTTPHeaders.namesEqual(name, "transfer-encoding")
        default: false
        }
    }

    private func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while n > 0 && count < 20 {
                raw[count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(raw[i]) }
        }
    }

    /// The IMF-fixdate for now (RFC 9110 §5.6.7), recomputed once a second.
    private mutating func currentDate() -> [UInt8] {
        let now = time(nil)
        if now == cachedSecond { return cachedDate }
        cachedSecond = now
        var t = now
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let text =
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        cachedDate = Array(text.utf8)
        return cachedDate
    }
}
