import COpenSSL

/// The client side of one TLS connection over two memory BIOs, with no I/O of its own.
///
/// The connection's event loop keeps doing non-blocking socket reads and writes: it hands received ciphertext to
/// ``receive(_:)``, drives ``handshake()``, encrypts a request with ``write(_:)``, decrypts with
/// ``read(into:)`` and sends what ``drainOutbound(into:)`` produced. OpenSSL never touches the socket,
/// so `SSL_ERROR_WANT_READ` simply means "feed more ciphertext" and `SSL_ERROR_WANT_WRITE` cannot happen (the
/// outbound memory BIO grows).
///
/// Thread-safety: confined to the loop thread of its connection. OpenSSL's error queue is per thread, so every
/// call clears it first and reads it right after the failing call.
final class TLSSession {
    /// The result of ``read(into:)``.
    struct ReadResult {
        /// Plaintext bytes appended to the buffer.
        var count: Int
        /// The server sent `close_notify`: no more data will follow.
        var isClosed: Bool
    }

    private let ssl: OpaquePointer
    /// The BIO OpenSSL reads ciphertext from (we write received bytes into it).
    private let networkIn: OpaquePointer
    /// The BIO OpenSSL writes ciphertext to (we read bytes to send from it).
    private let networkOut: OpaquePointer
    private let peer: String
    /// Where records are decrypted before being appended: the loop's read buffer, which outlives its
    /// connections and is free again once received ciphertext went into ``networkIn``.
    private let scratch: UnsafeMutableRawBufferPointer
    /// The handshake completed.
    private(set) var isHandshakeDone = false
    /// A fatal error occurred; `SSL_shutdown` must not be called then.
    private var isFailed = false

    /// Creates a session for `host`: SNI (for names, not IP literals, RFC 6066 §3) and, when the context verifies,
    /// the name the certificate must carry (an IP literal is matched against IP address entries).
    ///
    /// - Parameters:
    ///   - context: The client's TLS context.
    ///   - host: The request's host: a DNS name or an IP literal without brackets.
    ///   - peer: `host:port`, for error details.
    ///   - scratch: A buffer to decrypt into, free whenever ``read(into:)`` runs.
    /// - Throws: ``HTTPClientError`` (``HTTPClientError/Code/tlsConfiguration``) when OpenSSL cannot allocate.
    init(
        context: TLSClientContext, host: String, peer: String, scratch: UnsafeMutableRawBufferPointer
    ) throws(HTTPClientError) {
        self.peer = peer
        self.scratch = scratch
        ctgbot_ERR_clear_error()
        guard let ssl = ctgbot_SSL_new(context.context) else { throw Self.setupFailure("SSL_new", peer: peer) }
        guard let networkIn = ctgbot_BIO_new(ctgbot_BIO_s_mem()) else {
            ctgbot_SSL_free(ssl)
            throw Self.setupFailure("BIO_new", peer: peer)
        }
        guard let networkOut = ctgbot_BIO_new(ctgbot_BIO_s_mem()) else {
            _ = ctgbot_BIO_free(networkIn)
            ctgbot_SSL_free(ssl)
            throw Self.setupFailure("BIO_new", peer: peer)
        }
        // An empty inbound BIO means "no data yet" (retry), not end of stream.
        _ = ctgbot_BIO_set_mem_eof_return(networkIn, -1)
        _ = ctgbot_BIO_set_mem_eof_return(networkOut, -1)
        ctgbot_SSL_set_bio(ssl, networkIn, networkOut)  // the SSL owns both BIOs from here on
        self.ssl = ssl
        self.networkIn = networkIn
        self.networkOut = networkOut
        ctgbot_SSL_set_connect_state(ssl)
        let isIPLiteral = HostResolver.literal(host: host, port: 0) != nil
        if !isIPLiteral && ctgbot_SSL_set_tlsext_host_name(ssl, host) != 1 {
            throw Self.setupFailure("SSL_set_tlsext_host_name", peer: peer)
        }
        // SSL_set1_host treats an IP literal as an address to match (OpenSSL 3).
        if context.shouldVerify && ctgbot_SSL_set1_host(ssl, host) != 1 {
            throw Self.setupFailure("SSL_set1_host", peer: peer)
        }
    }

    deinit { ctgbot_SSL_free(ssl) }

    /// Hands ciphertext received from the socket to OpenSSL.
    func receive(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // A memory BIO takes everything (it grows); a failure here is an allocation failure.
        let written = ctgbot_BIO_write(networkIn, base, Int32(bytes.count))
        precondition(written == Int32(bytes.count), "BIO_write to a memory BIO failed")
    }

    /// Advances the handshake with the ciphertext received so far.
    ///
    /// - Returns: true when the handshake is complete; false when it needs more ciphertext from the server
    ///   (send ``drainOutbound(into:)`` first).
    /// - Throws: ``HTTPClientError`` with ``HTTPClientError/Code/certificateVerification`` when the server's
    ///   certificate was rejected, else ``HTTPClientError/Code/tlsHandshake``; the reason is OpenSSL's.
    func handshake() throws(HTTPClientError) -> Bool {
        if isHandshakeDone { return true }
        ctgbot_ERR_clear_error()
        let rc = ctgbot_SSL_do_handshake(ssl)
        if rc == 1 {
            isHandshakeDone = true
            return true
        }
        let code = ctgbot_SSL_get_error(ssl, rc)
        if code == SSL_ERROR_WANT_READ { return false }
        isFailed = true
        let queued = OpenSSLErrorQueue.drain()
        let verify = ctgbot_SSL_get_verify_result(ssl)
        if verify != Int(X509_V_OK) {
            let why = String(cString: ctgbot_X509_verify_cert_error_string(verify))
            throw HTTPClientError(
                .certificateVerification, operation: "SSL_connect", detail: peer,
                reason: "certificate verify failed: \(why)")
        }
        throw HTTPClientError(
            .tlsHandshake, operation: "SSL_connect", detail: peer, reason: queued ?? Self.describe(code))
    }

    /// Encrypts `plaintext`, all of it (a memory BIO never pushes back).
    ///
    /// - Throws: ``HTTPClientError`` with ``HTTPClientError/Code/tls``.
    func write(_ plaintext: [UInt8]) throws(HTTPClientError) {
        var offset = 0
        while offset < plaintext.count {
            ctgbot_ERR_clear_error()
            let rc = plaintext.withUnsafeBytes { raw in
                ctgbot_SSL_write(ssl, raw.baseAddress! + offset, Int32(min(raw.count - offset, Int(Int32.max))))
            }
            guard rc > 0 else { throw failure("SSL_write", code: ctgbot_SSL_get_error(ssl, rc)) }
            offset += Int(rc)
        }
    }

    /// Decrypts every complete record received so far, appending the plaintext to `buffer`.
    ///
    /// - Throws: ``HTTPClientError`` with ``HTTPClientError/Code/tls`` on a corrupt record or an alert.
    func read(into buffer: inout InboundBuffer) throws(HTTPClientError) -> ReadResult {
        var result = ReadResult(count: 0, isClosed: false)
        // Bounded: each pass consumes input or returns; 4096 passes of 64 KiB is far beyond one read's worth.
        for _ in 0..<4096 {
            ctgbot_ERR_clear_error()
            let rc = ctgbot_SSL_read(ssl, scratch.baseAddress, Int32(scratch.count))
            if rc > 0 {
                buffer.append(UnsafeRawBufferPointer(rebasing: scratch[0..<Int(rc)]))
                result.count += Int(rc)
                continue
            }
            let code = ctgbot_SSL_get_error(ssl, rc)
            switch code {
            case SSL_ERROR_WANT_READ:
                return result
            case SSL_ERROR_ZERO_RETURN:
                result.isClosed = true
                return result
            default:
                throw failure("SSL_read", code: code)
            }
        }
        return result
    }

    /// Moves the ciphertext OpenSSL produced (handshake messages, records, alerts) to the end of `out`.
    ///
    /// - Returns: the number of bytes moved.
    @discardableResult
    func drainOutbound(into out: inout [UInt8]) -> Int {
        let pending = Int(ctgbot_BIO_pending(networkOut))
        guard pending > 0 else { return 0 }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: pending))
        let read = out.withUnsafeMutableBytes { raw in
            ctgbot_BIO_read(networkOut, raw.baseAddress! + start, Int32(pending))
        }
        let moved = max(0, Int(read))
        out.removeLast(pending - moved)
        return moved
    }

    /// Queues `close_notify` (RFC 8446 §6.1) after a completed, unbroken exchange; send it with
    /// ``drainOutbound(into:)``.
    func shutdown() {
        guard isHandshakeDone, !isFailed else { return }
        ctgbot_ERR_clear_error()
        _ = ctgbot_SSL_shutdown(ssl)
        ctgbot_ERR_clear_error()
    }

    private func failure(_ operation: String, code: Int32) -> HTTPClientError {
        isFailed = true
        let reason = OpenSSLErrorQueue.drain() ?? Self.describe(code)
        return HTTPClientError(.tls, operation: operation, detail: peer, reason: reason)
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case SSL_ERROR_SYSCALL: "unexpected end of stream"
        case SSL_ERROR_WANT_WRITE: "unexpected want-write on a memory BIO"
        default: "SSL error \(code)"
        }
    }

    private static func setupFailure(_ operation: String, peer: String) -> HTTPClientError {
        HTTPClientError(
            .tlsConfiguration, operation: operation, detail: peer,
            reason: OpenSSLErrorQueue.drain() ?? "OpenSSL reported no reason")
    }
}
