/// A request for ``HTTPClient``: method, target, header fields and content.
///
/// The client adds `Host` (unless given) and `Content-Length`, and drops any `Content-Length` or
/// `Transfer-Encoding` given here, so the framing always matches ``body``.
public struct HTTPClientRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The scheme: `http` or `https`.
    public var scheme: String
    /// The host name or IP literal (an IPv6 literal without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The request target: path and query, starting with `/`. May carry secrets: never logged or quoted in errors.
    public var path: String
    /// Header fields sent as given, in order.
    public var headers: HTTPHeaders
    /// The content.
    public var body: [UInt8]

    /// Creates a request from its parts.
    public init(
        method: HTTPMethod = .get, scheme: String = "http", host: String, port: Int = 80, path: String = "/",
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// Creates a request from an absolute URL such as `http://127.0.0.1:8081/bot<token>/getMe` or
    /// `http://[::1]:8080/x?y=1`. The fragment is dropped.
    ///
    /// - Throws: ``HTTPClientError`` with code ``HTTPClientError/Code/invalidURL`` when the URL has no
    ///   scheme, no host or a bad port.
    public init(
        method: HTTPMethod = .get, url: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) throws(HTTPClientError) {
        let invalid = HTTPClientError(.invalidURL, operation: "url")
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { throw invalid }
        let scheme = url[..<colon].lowercased()
        var rest = url[url.index(colon, offsetBy: 3)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        if authority.contains("@") { throw invalid }  // userinfo is deprecated (RFC 9110 §4.2.4)
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid }
            host = authority[authority.index(after: authority.startIndex)..<close]
            authority = authority[authority.index(after: close)...]
            if !authority.isEmpty {
                guard authority.hasPrefix(":") else { throw invalid }
                portText = authority.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw invalid }
        var port = scheme == "https" ? 443 : 80
        if let portText, !portText.isEmpty {
            guard let value = Int(portText), (1...65535).contains(value) else { throw invalid }
            port = value
        }
        self.init(
            method: method, scheme: scheme, host: String(host), port: port, path: path, headers: headers, body: body)
    }

    /// The `Host` field value: the host, bracketed when IPv6, with the port unless it is the default.
    var hostField: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (scheme.lowercased() == "https" ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Encodes the request head and content for the wire (RFC 9112 §3).
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + body.count)
        out.append(contentsOf: method.rawValue.utf8)
        out.append(32)
        out.append(contentsOf: path.utf8)
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)
        if headers["Host"] == nil {
            out.append(contentsOf: "Host: ".utf8)
            out.append(contentsOf: hostField.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        for field in headers {
            if HTTPHeaders.namesEqual(field.name, "content-length")
                || HTTPHeaders.namesEqual(field.name, "transfer-encoding")
            {
                continue
            }
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !body.isEmpty || method.requiresContentLength {
            out.append(contentsOf: "Content-Length: ".utf8)
            out.append(contentsOf: String(body.count).utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }
}
