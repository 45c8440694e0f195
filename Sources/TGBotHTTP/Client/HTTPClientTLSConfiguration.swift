/// TLS settings of ``HTTPClient`` for `https://` requests; every field has a default.
///
/// By default the server certificate is verified against the system trust store (OpenSSL's default verify
/// paths, which honour the `SSL_CERT_FILE` and `SSL_CERT_DIR` environment variables), its name is checked against
/// the request's host (DNS name or IP literal), SNI is sent for names, TLS 1.2 is the minimum and ALPN offers
/// `http/1.1`.
public struct HTTPClientTLSConfiguration: Sendable {
    /// A PEM file of extra trusted CA certificates, added to the system trust store: for a self-hosted Bot API
    /// server behind a private CA, and for tests. Default nil.
    public var additionalCAFile: String?
    /// Whether the system trust store is trusted. Default true; false trusts only ``additionalCAFile``.
    public var usesSystemTrustStore: Bool
    /// Whether the server certificate chain and name are verified. Default true. **For tests only**: false
    /// accepts any certificate, so anyone on the path can read and alter the traffic (and the bot token in it).
    public var shouldVerifyCertificates: Bool

    /// Creates TLS settings with the defaults listed on each property.
    public init(
        additionalCAFile: String? = nil, usesSystemTrustStore: Bool = true, shouldVerifyCertificates: Bool = true
    ) {
        self.additionalCAFile = additionalCAFile
        self.usesSystemTrustStore = usesSystemTrustStore
        self.shouldVerifyCertificates = shouldVerifyCertificates
    }
}
