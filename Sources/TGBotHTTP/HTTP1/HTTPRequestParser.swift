/// An incremental, strict HTTP/1.1 request parser over raw bytes (RFC 9112).
///
/// Feed it whatever arrived and call ``next(_:)`` until it returns nil: it emits ``Event/head(_:)`` once the
/// header section is complete (so the server can answer `100 Continue` or refuse early), then
/// ``Event/end(_:)`` with the de-chunked content, and starts over for the next pipelined request. It consumes
/// exactly the bytes of each request, so pipelined requests that follow stay in the buffer.
///
/// The parser is a value with no I/O: it is tested by feeding the same requests split at every byte.
/// Everything that would let two parsers disagree about where a request ends is an error, not a guess:
/// conflicting `Content-Length`s, `Content-Length` with `Transfer-Encoding`, obs-fold, bare CR, whitespace
/// before a colon, unknown transfer codings.
public struct HTTPRequestParser: Sendable {
    /// What the parser found.
    public enum Event: Sendable {
        /// The header section is complete.
        case head(HTTPRequestHead)
        /// The content is complete; the request is done.
        case end([UInt8])
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(consumed: Int)
        case failed(HTTPParseError)
    }

    /// The limits in force.
    public let limits: HTTPParserLimits
    private var state: State = .head
    /// How many bytes of the pending head were already scanned for its end, so a slow client's head is not
    /// rescanned from the start on every read.
    private var headScanned = 0
    /// Empty lines skipped before the current request line; bounded per request, whatever the read sizes.
    private var emptyLinesSkipped = 0
    /// Whether the current request line was found complete and within its limit.
    private var requestLineChecked = false
    private var body: [UInt8] = []

    /// Creates a parser with `limits`.
    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Whether the parser is between requests (nothing of a next request consumed yet).
    public var isIdle: Bool {
        if case .head = state { return headScanned == 0 }
        return false
    }

    /// Parses as far as the buffered bytes allow.
    ///
    /// - Returns: the next event, or nil when more bytes are needed.
    /// - Throws: ``HTTPParseError``; after an error the parser stays failed.
    public mutating func next(_ buffer: inout InboundBuffer) throws(HTTPParseError) -> Event? {
        switch state {
        case .failed(let error):
            throw error
        case .head:
            do {
                guard let head = try parseHead(&buffer) else { return nil }
                return .head(head)
            } catch {
                state = .failed(error)
                throw error
            }
        default:
            do {
                return try parseBody(&buffer)
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }

    // MARK: - Head

    private mutating func parseHead(_ buffer: inout InboundBuffer) throws(HTTPParseError) -> HTTPRequestHead? {
        // RFC 9112 §2.2: ignore empty lines before the request line (some clients send a CRLF after a body). The
        // count is kept per request, so an endless stream of CRLFs is refused however it is split into reads.
        if headScanned == 0 {
            while buffer.readableCount >= 2, buffer.bytes[buffer.readerIndex] == ASCII.cr,
                buffer.bytes[buffer.readerIndex + 1] == ASCII.lf
            {
                buffer.consume(2)
                emptyLinesSkipped += 1
                if emptyLinesSkipped > 8 { throw .malformedRequestLine }
            }
            if buffer.readableCount == 1 && buffer.bytes[buffer.readerIndex] == ASCII.cr { return nil }
        }
        let start = buffer.readerIndex
        let available = buffer.readableCount
        if !requestLineChecked {
            guard try checkRequestLine(buffer.bytes, start: start, count: available) else {
                if available > limits.maxHeaderBytes { throw .headersTooLarge }
                return nil
            }
            requestLineChecked = true
        }
        guard let headLength = findHeadEnd(buffer.bytes, start: start, count: available) else {
            // Not complete yet: enforce the limit on what is buffered so far.
            if available > limits.maxHeaderBytes { throw .headersTooLarge }
            return nil
        }
        if headLength > limits.maxHeaderBytes { throw .headersTooLarge }
        let head = try buffer.bytes.withUnsafeBufferPointer { (all) throws(HTTPParseError) -> HTTPRequestHead in
            try parseHeadBytes(UnsafeBufferPointer(rebasing: all[start..<(start + headLength)]))
        }
        buffer.consume(headLength)
        headScanned = 0
        emptyLinesSkipped = 0
        requestLineChecked = false
        body = []
        switch head.framing {
        case .none:
            state = .fixedBody(remaining: 0)
        case .length(let n):
            body.reserveCapacity(n)
            state = .fixedBody(remaining: n)
        case .chunked:
            state = .chunkSize
        }
        return head
    }

    /// Finds the end of the header section (`CRLF CRLF`); returns the head length including it.
    private mutating func findHeadEnd(_ bytes: [UInt8], start: Int, count: Int) -> Int? {
        let from = max(0, headScanned - 3)
        defer { headScanned = max(headScanned, count) }
        if count < 4 { return nil }
        return bytes.withUnsafeBufferPointer { p -> Int? in
            var i = start + from
            let last = start + count - 4
            while i <= last {
                if p[i + 3] == ASCII.lf {
                    if p[i + 2] == ASCII.cr && p[i + 1] == ASCII.lf && p[i] == ASCII.cr { return i + 4 - start }
                    i += 1
                } else if p[i + 3] == ASCII.cr {
                    i += 1
                } else {
                    i += 4
                }
            }
            return nil
        }
    }

    /// Decides on the request line from its first line-terminator byte alone, so the verdict never depends on
    /// how the bytes were split into reads: a CR or LF past `maxRequestLineBytes` (or none within it) is 414, a
    /// bare LF or a CR not followed by LF is 400 (RFC 9112 §2.2 lets a server refuse them).
    ///
    /// - Returns: true when the line ends in CRLF within the limit; false when more bytes are needed.
    private func checkRequestLine(_ bytes: [UInt8], start: Int, count: Int) throws(HTTPParseError) -> Bool {
        let limit = limits.maxRequestLineBytes
        let scan = min(count, limit + 1)
        var i = start
        while i < start + scan {
            let b = bytes[i]
            if b == ASCII.lf { throw .malformedRequestLine }
            if b == ASCII.cr {
                guard i + 1 < start + count else { return false }
                guard bytes[i + 1] == ASCII.lf else { throw .malformedRequestLine }
                return true
            }
            i += 1
        }
        if count > limit { throw .requestLineTooLong }
        return false
    }

    /// The index of the CR of the first CRLF in `from..<to`.
    private func lineEnd(_ bytes: [UInt8], from: Int, to: Int) -> Int? {
        var i = from
        while i + 1 < to {
            if bytes[i] == ASCII.cr && bytes[i + 1] == ASCII.lf { return i }
            i += 1
        }
        return nil
    }

    private func parseHeadBytes(_ head: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPRequestHead {
        // Request line: method SP request-target SP HTTP-version CRLF (RFC 9112 §3).
        var lineStart = 0
        guard let requestLineEnd = Self.crlf(in: head, from: 0) else { throw .malformedRequestLine }
        if requestLineEnd > limits.maxRequestLineBytes { throw .requestLineTooLong }
        let line = UnsafeBufferPointer(rebasing: head[0..<requestLineEnd])
        guard let firstSpace = line.firstIndex(of: ASCII.space), firstSpace > 0 else { throw .malformedRequestLine }
        guard let secondSpace = line[(firstSpace + 1)...].firstIndex(of: ASCII.space), secondSpace > firstSpace + 1
        else { throw .malformedRequestLine }
        for i in 0..<firstSpace where !ASCII.isTokenCharacter(line[i]) { throw .malformedRequestLine }
        for i in (firstSpace + 1)..<secondSpace where line[i] <= 0x20 || line[i] >= 0x7F {
            throw .malformedRequestLine
        }
        let version = try Self.parseVersion(UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...]))
        let method = Self.makeMethod(UnsafeBufferPointer(rebasing: line[0..<firstSpace]))
        let target = String(
            decoding: UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace]), as: UTF8.self)
        guard
            target.utf8.first == UInt8(ascii: "/") || (target == "*" && method == .options)
                || target.hasPrefix("http://") || target.hasPrefix("https://")
        else { throw .malformedRequestLine }

        // Header fields: field-name ":" OWS field-value OWS CRLF (RFC 9112 §5).
        var headers = HTTPHeaders()
        lineStart = requestLineEnd + 2
        var contentLength: Int?
        var transferEncoding: [Substring] = []
        var hostCount = 0
        var expectsContinue = false
        var connectionClose = false
        var connectionKeepAlive = false
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
            for i in valueStart..<valueEnd {
                let b = head[i]
                if (b < 0x20 && b != ASCII.tab) || b == 0x7F { throw .invalidHeader }
            }
            if headers.count >= limits.maxHeaderCount { throw .tooManyHeaders }
            let name = String(decoding: UnsafeBufferPointer(rebasing: head[lineStart..<colon]), as: UTF8.self)
            let value = String(decoding: UnsafeBufferPointer(rebasing: head[valueStart..<valueEnd]), as: UTF8.self)
            headers.add(name: name, value: value)
            switch colon - lineStart {
            case 4 where HTTPHeaders.namesEqual(name, "host"):
                hostCount += 1
            case 6 where HTTPHeaders.namesEqual(name, "expect"):
                guard HTTPHeaders.namesEqual(value, "100-continue") else { throw .unsupportedExpectation }
                expectsContinue = true
            case 10 where HTTPHeaders.namesEqual(name, "connection"):
                for token in value.split(separator: ",") {
                    let t = token.trimmingSpaces
                    if HTTPHeaders.namesEqual(t, "close") { connectionClose = true }
                    if HTTPHeaders.namesEqual(t, "keep-alive") { connectionKeepAlive = true }
                }
            case 14 where HTTPHeaders.namesEqual(name, "content-length"):
                // RFC 9112 §6.3: a list of identical values may be treated as one; anything else is fatal.
                for element in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let n = try Self.parseContentLength(element.trimmingSpaces, limit: limits.maxBodyBytes)
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

        if version == .http1_1 && hostCount != 1 { throw .invalidHost }
        if hostCount > 1 { throw .invalidHost }
        let framing: HTTPRequestHead.Framing
        if !transferEncoding.isEmpty {
            if version == .http1_0 { throw .transferEncodingInHTTP10 }
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            guard transferEncoding.count == 1, HTTPHeaders.namesEqual(transferEncoding[0], "chunked") else {
                throw .unsupportedTransferEncoding
            }
            framing = .chunked
        } else if let contentLength {
            if contentLength == Int.max { throw .bodyTooLarge }
            framing = contentLength == 0 ? .none : .length(contentLength)
        } else {
            if method.requiresContentLength { throw .lengthRequired }
            framing = .none
        }
        let keepAlive = version == .http1_1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        return HTTPRequestHead(
            method: method, target: target, version: version, headers: headers, framing: framing,
            expectsContinue: expectsContinue && version == .http1_1, keepAlive: keepAlive)
    }

    /// Parses a Content-Length element; returns `Int.max` for a syntactically valid value above `limit`
    /// (reported as 413 once framing is settled, so a conflict still wins as 400).
    private static func parseContentLength(_ text: Substring, limit: Int) throws(HTTPParseError) -> Int {
        guard !text.isEmpty else { throw .invalidContentLength }
        var value = 0
        for byte in text.utf8 {
            guard byte >= 48 && byte <= 57 else { throw .invalidContentLength }
            if value > limit { continue }  // keep validating digits, the value is already too large
            value = value * 10 + Int(byte - 48)
        }
        return value > limit ? Int.max : value
    }

    private static func parseVersion(_ v: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        // HTTP-version = "HTTP/" DIGIT "." DIGIT (case-sensitive)
        guard v.count == 8, v[0] == 72, v[1] == 84, v[2] == 84, v[3] == 80, v[4] == 47, v[6] == 46,
            (48...57).contains(v[5]), (48...57).contains(v[7])
        else { throw .malformedRequestLine }
        switch (v[5], v[7]) {
        case (49, 49): return .http1_1
        case (49, 48): return .http1_0
        default: throw .unsupportedVersion
        }
    }

    private static func makeMethod(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPMethod {
        if bytes.count == 4 && bytes[0] == 80 && bytes[1] == 79 && bytes[2] == 83 && bytes[3] == 84 { return .post }
        if bytes.count == 3 && bytes[0] == 71 && bytes[1] == 69 && bytes[2] == 84 { return .get }
        if bytes.count == 4 && bytes[0] == 72 && bytes[1] == 69 && bytes[2] == 65 && bytes[3] == 68 { return .head }
        return HTTPMethod(String(decoding: bytes, as: UTF8.self))
    }

    /// The index of the next CRLF at or after `from`; a bare CR is an error elsewhere, so this only needs
    /// CR followed by LF. Returns nil when there is none.
    private static func crlf(in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while i + 1 < p.count {
            if p[i] == ASCII.cr {
                return p[i + 1] == ASCII.lf ? i : nil
            }
            if p[i] == ASCII.lf { return nil }  // bare LF
            i += 1
        }
        return nil
    }

    // MARK: - Body

    private mutating func parseBody(_ buffer: inout InboundBuffer) throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .fixedBody(let remaining):
                let take = min(remaining, buffer.readableCount)
                if take > 0 {
                    body.append(contentsOf: buffer.bytes[buffer.readerIndex..<(buffer.readerIndex + take)])
                    buffer.consume(take)
                }
                if remaining - take > 0 {
                    state = .fixedBody(remaining: remaining - take)
                    return nil
                }
                return finish()

            case .chunkSize:
                // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF (RFC 9112 §7.1)
                let start = buffer.readerIndex
                let window = min(buffer.readableCount, 4096)
                guard let end = lineEnd(buffer.bytes, from: start, to: start + window) else {
                    if buffer.readableCount >= 4096 { throw .invalidChunk }
                    return nil
                }
                var size = 0
                var digits = 0
                var i = start
                while i < end, let d = Self.hexValue(buffer.bytes[i]) {
                    // Leading zeros are allowed in any number; only the value is bounded.
                    size = size * 16 + d
                    digits += 1
                    if size > limits.maxBodyBytes { throw .bodyTooLarge }
                    i += 1
                }
                guard digits > 0 else { throw .invalidChunk }
                // Extensions are allowed and ignored, but must start with ';' after optional whitespace.
                while i < end && (buffer.bytes[i] == ASCII.space || buffer.bytes[i] == ASCII.tab) { i += 1 }
                if i < end {
                    guard buffer.bytes[i] == UInt8(ascii: ";") else { throw .invalidChunk }
                    for j in i..<end {
                        let b = buffer.bytes[j]
                        if (b < 0x20 && b != ASCII.tab) || b == 0x7F { throw .invalidChunk }
                    }
                }
                buffer.consume(end + 2 - start)
                if size == 0 {
                    state = .trailers(consumed: 0)
                } else {
                    if body.count + size > limits.maxBodyBytes { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let take = min(remaining, buffer.readableCount)
                if take > 0 {
                    body.append(contentsOf: buffer.bytes[buffer.readerIndex..<(buffer.readerIndex + take)])
                    buffer.consume(take)
                }
                if remaining - take > 0 {
                    state = .chunkData(remaining: remaining - take)
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
                // trailer-section = *( field-line CRLF ) CRLF; fields are read and discarded.
                let start = buffer.readerIndex
                let window = min(buffer.readableCount, limits.maxHeaderBytes - consumed + 2)
                guard let end = lineEnd(buffer.bytes, from: start, to: start + window) else {
                    if consumed + buffer.readableCount > limits.maxHeaderBytes { throw .headersTooLarge }
                    return nil
                }
                if end == start {
                    buffer.consume(2)
                    return finish()
                }
                let first = buffer.bytes[start]
                if first == ASCII.space || first == ASCII.tab { throw .obsoleteLineFolding }
                guard buffer.bytes[start..<end].contains(ASCII.colon) else { throw .invalidHeader }
                for j in start..<end {
                    let b = buffer.bytes[j]
                    if (b < 0x20 && b != ASCII.tab) || b == 0x7F { throw .invalidHeader }
                }
                buffer.consume(end + 2 - start)
                state = .trailers(consumed: consumed + end + 2 - start)

            case .head, .failed:
                preconditionFailure("parseBody called in state \(state)")
            }
        }
    }

    private mutating func finish() -> Event {
        state = .head
        headScanned = 0
        let result = body
        body = []
        return .end(result)
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
