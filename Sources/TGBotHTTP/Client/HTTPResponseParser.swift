/// An incremental HTTP/1.1 response parser over raw bytes (RFC 9112), the client's counterpart of
/// ``HTTPRequestParser``.
///
/// Call ``begin(requestMethod:)`` before each response (a response to `HEAD` has no content whatever its
/// header says), append received bytes to an ``InboundBuffer`` and call ``next(_:)`` until it returns a
/// ``Message``. At end of stream call ``finish(_:)``: a response delimited by the connection closing completes
/// there, anything else half-received is ``HTTPResponseParseError/truncated``. Interim `1xx` responses are read
/// and skipped. The parser consumes exactly one response's bytes.
///
/// A value with no I/O, tested by feeding the same responses split at every byte.
public struct HTTPResponseParser: Sendable {
    /// A complete response and whether the connection may carry another request.
    public struct Message: Sendable {
        /// The response.
        public var response: HTTPClientResponse
        /// False when the server asked to close (`Connection: close`, HTTP/1.0 without keep-alive) or when the
        /// content was delimited by closing the connection.
        public var keepAlive: Bool
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case untilClose
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(consumed: Int)
        case failed(HTTPResponseParseError)
    }

    /// The limits in force (``HTTPParserLimits/maxRequestLineBytes`` bounds the status line).
    public let limits: HTTPParserLimits
    private var state: State = .head
    private var isHEAD = false
    private var headScanned = 0
    private var head: HTTPClientResponse?
    private var keepAlive = true
    private var body: [UInt8] = []

    /// Creates a parser with `limits`.
    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Prepares for the response to a request with `requestMethod`.
    public mutating func begin(requestMethod: HTTPMethod) {
        state = .head
        isHEAD = requestMethod == .head
        headScanned = 0
        head = nil
        body = []
    }

    /// Parses as far as the buffered bytes allow.
    ///
    /// - Returns: the complete response, or nil when more bytes are needed.
    /// - Throws: ``HTTPResponseParseError``; after an error the parser stays failed.
    public mutating func next(_ buffer: inout InboundBuffer) throws(HTTPResponseParseError) -> Message? {
        if case .failed(let error) = state { throw error }
        do {
            while case .head = state {
                guard try parseHead(&buffer) else { return nil }
            }
            return try parseBody(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Ends the stream: completes a response delimited by the connection closing.
    ///
    /// - Returns: that response; nil when no byte of a response had arrived (a clean close between responses).
    /// - Throws: ``HTTPResponseParseError/truncated`` when the stream ended inside a response.
    public mutating func finish(_ buffer: inout InboundBuffer) throws(HTTPResponseParseError) -> Message? {
        switch state {
        case .failed(let error):
            throw error
        case .untilClose:
            _ = try parseBody(&buffer)
            state = .head
            return complete()
        case .head where buffer.readableCount == 0 && head == nil:
            return nil
        default:
            state = .failed(.truncated)
            throw .truncated
        }
    }

    // MARK: - Head

    /// Parses one head if complete; returns false when more bytes are needed.
    private mutating func parseHead(_ buffer: inout InboundBuffer) throws(HTTPResponseParseError) -> Bool {
        let start = buffer.readerIndex
        let count = buffer.readableCount
        guard let length = findHeadEnd(buffer.bytes, start: start, count: count) else {
            if count > limits.maxHeaderBytes { throw .headersTooLarge }
            if !statusLinePlausible(buffer.bytes, start: start, count: count) { throw .malformedStatusLine }
            return false
        }
        if length > limits.maxHeaderBytes { throw .headersTooLarge }
        let parsed = try buffer.bytes.withUnsafeBufferPointer {
            (all) throws(HTTPResponseParseError) -> (HTTPClientResponse, Framing, Bool) in
            try parseHeadBytes(UnsafeBufferPointer(rebasing: all[start..<(start + length)]))
        }
        buffer.consume(length)
        headScanned = 0
        let (response, framing, keep) = parsed
        if (100..<200).contains(response.status.code) {
            if response.status.code == 101 { throw .unexpectedUpgrade }
            return true  // interim response: skip it, the final one follows (RFC 9110 §15.2)
        }
        head = response
        keepAlive = keep
        switch framing {
        case .none: state = .fixedBody(remaining: 0)
        case .length(let n):
            body.reserveCapacity(n)
            state = .fixedBody(remaining: n)
        case .chunked: state = .chunkSize
        case .untilClose:
            keepAlive = false
            state = .untilClose
        }
        return true
    }

    private enum Framing { case none, length(Int), chunked, untilClose }

    /// Rejects garbage early, before a whole head of it is buffered: the bytes must start like `HTTP/`.
    private func statusLinePlausible(_ bytes: [UInt8], start: Int, count: Int) -> Bool {
        let prefix = Array("HTTP/".utf8)
        for i in 0..<min(count, prefix.count) where bytes[start + i] != prefix[i] { return false }
        if count > limits.maxRequestLineBytes {
            return bytes[start..<(start + limits.maxRequestLineBytes)].contains(ASCII.lf)
        }
        return true
    }

    private mutating func findHeadEnd(_ bytes: [UInt8], start: Int, count: Int) -> Int? {
        let from = max(0, headScanned - 3)
        defer { headScanned = max(headScanned, count) }
        if count < 4 { return nil }
        var i = start + from
        let last = start + count - 4
        while i <= last {
            if bytes[i + 3] == ASCII.lf && bytes[i + 2] == ASCII.cr && bytes[i + 1] == ASCII.lf && bytes[i] == ASCII.cr
            {
                return i + 4 - start
            }
            i += 1
        }
        return nil
    }

    private func parseHeadBytes(
        _ head: UnsafeBufferPointer<UInt8>
    ) throws(HTTPResponseParseError) -> (HTTPClientResponse, Framing, Bool) {
        // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4)
        guard let lineEnd = Self.crlf(in: head, from: 0) else { throw .malformedStatusLine }
        guard lineEnd <= limits.maxRequestLineBytes, lineEnd >= 12 else { throw .malformedStatusLine }
        let v = head
        guard v[0] == 72, v[1] == 84, v[2] == 84, v[3] == 80, v[4] == 47, v[6] == 46, (48...57).contains(v[5]),
            (48...57).contains(v[7]), v[8] == ASCII.space
        else { throw .malformedStatusLine }
        let version: HTTPVersion
        switch (v[5], v[7]) {
        case (49, 49): version = .http1_1
        case (49, 48): version = .http1_0
        default: throw .unsupportedVersion
        }
        var code = 0
        for i in 9..<12 {
            guard (48...57).contains(v[i]) else { throw .malformedStatusLine }
            code = code * 10 + Int(v[i] - 48)
        }
        guard code >= 100 else { throw .malformedStatusLine }
        var reason = ""
        if lineEnd > 12 {
            guard v[12] == ASCII.space else { throw .malformedStatusLine }
            for i in 13..<lineEnd where (v[i] < 0x20 && v[i] != ASCII.tab) || v[i] == 0x7F {
                throw .malformedStatusLine
            }
            reason = String(decoding: UnsafeBufferPointer(rebasing: v[13..<lineEnd]), as: UTF8.self)
        }

        var headers = HTTPHeaders()
        var contentLength: Int?
        var transferEncoding: [Substring] = []
        var connectionClose = false
        var connectionKeepAlive = false
        var lineStart = lineEnd + 2
        while lineStart < head.count - 2 {
            guard let end = Self.crlf(in: head, from: lineStart) else { throw .invalidHeader }
            let first = head[lineStart]
            if first == ASCII.space || first == ASCII.tab { throw .obsoleteLineFolding }
            guard let colon = head[lineStart..<end].firstIndex(of: ASCII.colon), colon > lineStart else {
                throw .invalidHeader
            }
            for i in lineStart..<colon where !ASCII.isTokenCharacter(head[i]) { throw .invalidHeader }
            var valueStart = colon + 1
            var valueEnd = end
            while valueStart < valueEnd && (head[valueStart] == ASCII.space || head[valueStart] == ASCII.tab) {
                valueStart += 1
            }
            while valueEnd > valueStart && (head[valueEnd - 1] == ASCII.space || head[valueEnd - 1] == ASCII.tab) {
                valueEnd -= 1
            }
            for i in valueStart..<valueEnd where (head[i] < 0x20 && head[i] != ASCII.tab) || head[i] == 0x7F {
                throw .invalidHeader
            }
            if headers.count >= limits.maxHeaderCount { throw .tooManyHeaders }
            let name = String(decoding: UnsafeBufferPointer(rebasing: head[lineStart..<colon]), as: UTF8.self)
            let value = String(decoding: UnsafeBufferPointer(rebasing: head[valueStart..<valueEnd]), as: UTF8.self)
            headers.add(name: name, value: value)
            switch colon - lineStart {
            case 10 where HTTPHeaders.namesEqual(name, "connection"):
                for token in value.split(separator: ",") {
                    if HTTPHeaders.namesEqual(token.trimmingSpaces, "close") { connectionClose = true }
                    if HTTPHeaders.namesEqual(token.trimmingSpaces, "keep-alive") { connectionKeepAlive = true }
                }
            case 14 where HTTPHeaders.namesEqual(name, "content-length"):
                for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let n = try Self.parseContentLength(element.trimmingSpaces)
                    if let existing = contentLength, existing != n { throw .conflictingContentLength }
                    contentLength = n
                }
            case 17 where HTTPHeaders.namesEqual(name, "transfer-encoding"):
                for element in value.split(separator: ",") { transferEncoding.append(element.trimmingSpaces) }
            default:
                break
            }
            lineStart = end + 2
        }

        let keepAlive = version == .http1_1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        let response = HTTPClientResponse(
            status: HTTPStatus(code: code, reasonPhrase: reason), version: version, headers: headers)
        // Message body length, RFC 9112 §6.3.
        let framing: Framing
        if isHEAD || code < 200 || code == 204 || code == 304 {
            framing = .none
        } else if !transferEncoding.isEmpty {
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            if let last = transferEncoding.last, HTTPHeaders.namesEqual(last, "chunked"), transferEncoding.count == 1 {
                framing = .chunked
            } else {
                framing = .untilClose  // some other final coding: the content runs to the end of the stream
            }
        } else if let contentLength {
            if contentLength > limits.maxBodyBytes { throw .bodyTooLarge }
            framing = contentLength == 0 ? .none : .length(contentLength)
        } else {
            framing = .untilClose
        }
        return (response, framing, keepAlive)
    }

    private static func parseContentLength(_ text: Substring) throws(HTTPResponseParseError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 18 else { throw .invalidContentLength }
        var value = 0
        for byte in text.utf8 {
            guard byte >= 48 && byte <= 57 else { throw .invalidContentLength }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func crlf(in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while i + 1 < p.count {
            if p[i] == ASCII.cr { return p[i + 1] == ASCII.lf ? i : nil }
            if p[i] == ASCII.lf { return nil }
            i += 1
        }
        return nil
    }

    // MARK: - Body

    private mutating func take(_ buffer: inout InboundBuffer, upTo count: Int) -> Int {
        let n = min(count, buffer.readableCount)
        if n > 0 {
            body.append(contentsOf: buffer.bytes[buffer.readerIndex..<(buffer.readerIndex + n)])
            buffer.consume(n)
        }
        return n
    }

    private mutating func parseBody(_ buffer: inout InboundBuffer) throws(HTTPResponseParseError) -> Message? {
        while true {
            switch state {
            case .fixedBody(let remaining):
                let left = remaining - take(&buffer, upTo: remaining)
                if left > 0 {
                    state = .fixedBody(remaining: left)
                    return nil
                }
                state = .head
                return complete()

            case .untilClose:
                _ = take(&buffer, upTo: buffer.readableCount)
                if body.count > limits.maxBodyBytes { throw .bodyTooLarge }
                return nil

            case .chunkSize:
                // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF (RFC 9112 §7.1)
                let start = buffer.readerIndex
                let window = min(buffer.readableCount, 4096)
                guard let end = Self.lineEnd(buffer.bytes, from: start, to: start + window) else {
                    if buffer.readableCount >= 4096 { throw .invalidChunk }
                    return nil
                }
                var size = 0
                var i = start
                while i < end, let d = Self.hexValue(buffer.bytes[i]) {
                    size = size * 16 + d
                    if size > limits.maxBodyBytes { throw .bodyTooLarge }
                    i += 1
                }
                guard i > start else { throw .invalidChunk }
                while i < end && (buffer.bytes[i] == ASCII.space || buffer.bytes[i] == ASCII.tab) { i += 1 }
                if i < end && buffer.bytes[i] != UInt8(ascii: ";") { throw .invalidChunk }
                buffer.consume(end + 2 - start)
                if size == 0 {
                    state = .trailers(consumed: 0)
                } else {
                    if body.count + size > limits.maxBodyBytes { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let left = remaining - take(&buffer, upTo: remaining)
                if left > 0 {
                    state = .chunkData(remaining: left)
                    return nil
                }
                state = .chunkDataEnd

            case .chunkDataEnd:
                guard buffer.readableCount >= 2 else {
                    if buffer.readableCount == 1 && buffer.bytes[buffer.readerIndex] != ASCII.cr { throw .invalidChunk }
                    return nil
                }
                guard buffer.bytes[buffer.readerIndex] == ASCII.cr, buffer.bytes[buffer.readerIndex + 1] == ASCII.lf
                else { throw .invalidChunk }
                buffer.consume(2)
                state = .chunkSize

            case .trailers(let consumed):
                // trailer-section = *( field-line CRLF ) CRLF; read and discarded.
                let start = buffer.readerIndex
                guard let end = Self.lineEnd(buffer.bytes, from: start, to: start + buffer.readableCount) else {
                    if consumed + buffer.readableCount > limits.maxHeaderBytes { throw .headersTooLarge }
                    if buffer.readableCount >= 1 && buffer.bytes[start] != ASCII.cr
                        && (buffer.bytes[start] == ASCII.space || buffer.bytes[start] == ASCII.tab)
                    {
                        throw .obsoleteLineFolding
                    }
                    return nil
                }
                if end == start {
                    buffer.consume(2)
                    state = .head
                    return complete()
                }
                let first = buffer.bytes[start]
                if first == ASCII.space || first == ASCII.tab { throw .obsoleteLineFolding }
                guard buffer.bytes[start..<end].contains(ASCII.colon) else { throw .invalidHeader }
                if consumed + end + 2 - start > limits.maxHeaderBytes { throw .headersTooLarge }
                buffer.consume(end + 2 - start)
                state = .trailers(consumed: consumed + end + 2 - start)

            case .head, .failed:
                preconditionFailure("parseBody called in state \(state)")
            }
        }
    }

    private mutating func complete() -> Message {
        var response = head ?? HTTPClientResponse(status: .ok)
        response.body = body
        head = nil
        body = []
        headScanned = 0
        return Message(response: response, keepAlive: keepAlive)
    }

    private static func lineEnd(_ bytes: [UInt8], from: Int, to: Int) -> Int? {
        var i = from
        while i + 1 < to {
            if bytes[i] == ASCII.cr && bytes[i + 1] == ASCII.lf { return i }
            i += 1
        }
        return nil
    }

    @inline(__always)
    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: Int(b - 48)
        case 65...70: Int(b - 55)
        case 97...102: Int(b - 87)
        default: nil
        }
    }
}
