import COpenSSL

/// The OpenSSL `SSL_CTX` every `https` connection of one ``HTTPClient`` is made from: protocol floor, trust
/// store, verification mode and ALPN, set once.
///
/// Building it loads OpenSSL (the first time in the process) and reads the trust store (a few hundred kilobytes of
/// PEM), so ``HTTPClient`` builds it on first use of `https`, off the loops and the cooperative pool, and never for
/// a client that only speaks `http`: a daemon that never speaks https never maps libssl and libcrypto.
final class TLSClientContext: @unchecked Sendable {
    // Sendable: `context` is fully configured in `init` and never changed afterwards; OpenSSL (1.1 and later)
    // locks internally what `SSL_new` touches on a shared `SSL_CTX` (reference counts, the session cache), so
    // sessions may be created from every loop thread. `shouldVerify` is immutable.

    /// The `SSL_CTX *`.
    let context: OpaquePointer
    /// Whether sessions check the certificate chain and the host name.
    let shouldVerify: Bool

    /// ALPN protocol list in wire format: length-prefixed `http/1.1` (RFC 7301 §3.1).
    private static let alpn: [UInt8] = [8] + Array("http/1.1".utf8)

    /// Builds the context from `configuration`.
    ///
    /// - Throws: ``HTTPClientError`` with code ``HTTPClientError/Code/tlsConfiguration`` when OpenSSL cannot be
    ///   loaded or cannot create the context, or the extra CA file cannot be loaded (the reason says why).
    init(configuration: HTTPClientTLSConfiguration) throws(HTTPClientError) {
        // libssl is mapped on the first https use, not at start (see COpenSSL.h).
        if let error = ctgbot_openssl_load() {
            throw HTTPClientError(
                .tlsConfiguration, operation: "dlopen", detail: "libssl", reason: String(cString: error))
        }
        ctgbot_ERR_clear_error()
        guard let context = ctgbot_SSL_CTX_new(ctgbot_TLS_client_method()) else {
            throw Self.failure("SSL_CTX_new", detail: "")
        }
        self.context = context
        shouldVerify = configuration.shouldVerifyCertificates
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); Telegram speaks 1.2 and 1.3.
        guard ctgbot_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw Self.failure("SSL_CTX_set_min_proto_version", detail: "")
        }
        // Idle pooled connections then hold no read/write buffers (about 34 KiB each otherwise).
        _ = ctgbot_SSL_CTX_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
        ctgbot_SSL_CTX_set_verify(context, shouldVerify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        if configuration.usesSystemTrustStore && ctgbot_SSL_CTX_set_default_verify_paths(context) != 1 {
            throw Self.failure("SSL_CTX_set_default_verify_paths", detail: "")
        }
        if let file = configuration.additionalCAFile, ctgbot_SSL_CTX_load_verify_locations(context, file, nil) != 1 {
            throw Self.failure("SSL_CTX_load_verify_locations", detail: file)
        }
        // SSL_CTX_set_alpn_protos returns 0 on success.
        let alpnFailed = Self.alpn.withUnsafeBufferPointer {
            ctgbot_SSL_CTX_set_alpn_protos(context, $0.baseAddress, UInt32($0.count)) != 0
        }
        if alpnFailed { throw Self.failure("SSL_CTX_set_alpn_protos", detail: "") }
    }

    deinit { ctgbot_SSL_CTX_free(context) }

    private static func failure(_ operation: String, detail: String) -> HTTPClientError {
        HTTPClientError(
            .tlsConfiguration, operation: operation, detail: detail,
            reason: OpenSSLErrorQueue.drain() ?? "OpenSSL reported no reason")
    }
}
