import Testing

@testable import TGBotHTTP

/// The parsed outcome of a byte stream: the requests, then the error that ended parsing, if any.
private struct ParseOutcome: Equatable {
    struct Request: Equatable {
        var method: String
        var target: String
        var headerCount: Int
        var keepAlive: Bool
        var body: [UInt8]
    }
    var requests: [Request] = []
    var error: HTTPParseError?
}

/// Feeds `bytes` to a parser in the given chunks and records every request and the final error.
private func parse(_ chunks: [[UInt8]], limits: HTTPParserLimits = HTTPParserLimits()) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = InboundBuffer()
    var outcome = ParseOutcome()
    var head: HTTPRequestHead?
    for chunk in chunks {
        buffer.append(contentsOf: chunk)
        do {
            while let event = try parser.next(&buffer) {
                switch event {
                case .head(let h): head = h
                case .end(let body):
                    outcome.requests.append(
                        .init(
                            method: head!.method.rawValue, target: head!.target, headerCount: head!.headers.count,
                            keepAlive: head!.keepAlive, body: body))
                }
            }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    return outcome
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

struct HTTPRequestParserTests {
    static let wellFormed: [String] = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /telegram HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "POST /telegram HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
        "GET /a?x=1 HTTP/1.0\r\n\r\n",
        "\r\nHEAD /h HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        // Three pipelined requests in one stream.
        "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
    ]

    @Test(arguments: wellFormed)
    func sameResultAtEveryByteSplit(_ request: String) {
        let all = bytes(request)
        let whole = parse([all])
        #expect(whole.error == nil)
        #expect(!whole.requests.isEmpty)
        // Split into two pieces at every boundary.
        for split in 0...all.count {
            let outcome = parse([Array(all[0..<split]), Array(all[split...])])
            #expect(outcome == whole, "split at \(split)")
        }
        // And one byte at a time.
        #expect(parse(all.map { [$0] }) == whole)
    }

    @Test func chunkedBodyIsDechunked() {
        let outcome = parse([bytes(Self.wellFormed[2])])
        #expect(outcome.requests.first?.body == bytes("hello world"))
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let outcome = parse([bytes(Self.wellFormed[5])])
        #expect(outcome.requests.map(\.target) == ["/1", "/2", "/3"])
        #expect(outcome.requests[1].body == bytes("abc"))
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() {
        #expect(parse([bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")]).requests[0].keepAlive)
        #expect(!parse([bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")]).requests[0].keepAlive)
        #expect(!parse([bytes("GET / HTTP/1.0\r\n\r\n")]).requests[0].keepAlive)
        #expect(parse([bytes("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")]).requests[0].keepAlive)
    }

    @Test func duplicateIdenticalContentLengthIsAccepted() {
        let outcome = parse([bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")])
        #expect(outcome.error == nil)
        #expect(outcome.requests.first?.body == bytes("ok"))
    }

    static let malformed: [(String, HTTPParseError)] = [
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .conflictingContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 2\r\n\r\n", .conflictingContentLength),
        (
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthWithTransferEncoding
        ),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\n\r\n", .lengthRequired),
        ("GET / HTTP/1.1\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .invalidHeader),
        ("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .invalidHeader),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", .invalidHeader),
        ("GET / HTTP/1.1\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("GET / http/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET nopath HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n", .unsupportedExpectation),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunk),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", .invalidChunk),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n", .invalidChunk),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedRequests(_ request: String, _ expected: HTTPParseError) {
        let all = bytes(request)
        #expect(parse([all]).error == expected)
        #expect(parse(all.map { [$0] }).error == expected, "byte by byte")
    }

    @Test func errorsMapToTheRightStatus() {
        #expect(HTTPParseError.requestLineTooLong.status.code == 414)
        #expect(HTTPParseError.headersTooLarge.status.code == 431)
        #expect(HTTPParseError.tooManyHeaders.status.code == 431)
        #expect(HTTPParseError.bodyTooLarge.status.code == 413)
        #expect(HTTPParseError.lengthRequired.status.code == 411)
        #expect(HTTPParseError.conflictingContentLength.status.code == 400)
        #expect(HTTPParseError.unsupportedTransferEncoding.status.code == 501)
    }

    @Test func enforcesSizeLimits() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 5, maxBodyBytes: 10)
        let longLine = "GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse([bytes(longLine)], limits: limits).error == .requestLineTooLong)
        // Without the line end yet: detected as soon as the buffered line exceeds the limit.
        #expect(parse([bytes(String(longLine.prefix(80)))], limits: limits).error == .requestLineTooLong)
        let bigHeader = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 300) + "\r\n\r\n"
        #expect(parse([bytes(bigHeader)], limits: limits).error == .headersTooLarge)
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + (1...6).map { "X\($0): v\r\n" }.joined() + "\r\n"
        #expect(parse([bytes(many)], limits: limits).error == .tooManyHeaders)
        #expect(
            parse([bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n")], limits: limits).error
                == .bodyTooLarge)
        #expect(
            parse(
                [bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n")], limits: limits
            ).error == .bodyTooLarge)
        let chunked =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n"
        #expect(parse([bytes(chunked)], limits: limits).error == .bodyTooLarge)
        #expect(
            parse(
                [bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n")],
                limits: limits
            ).error == .bodyTooLarge)
    }

    /// Fuzz findings K1–K3: the verdict on a stream must not depend on how it is split into reads.
    static let splitIndependent: [(String, HTTPParseError?)] = [
        // K1: at most 8 empty lines before a request line, counted per request.
        (String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        (String(repeating: "\r\n", count: 8) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", nil),
        // K2: a bare LF in the request line is 400 whether or not the rest is buffered; an over-long line is 414.
        ("GET /\n" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET /" + String(repeating: "a", count: 100) + "\n HTTP/1.1\r\nHost: a\r\n\r\n", .requestLineTooLong),
        ("GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: a\r\n\r\n", .requestLineTooLong),
        ("GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        // K3: leading zeros in a chunk size are not a large size.
        (
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000000005\r\nhello\r\n0\r\n\r\n",
            nil
        ),
        (
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000000000000000b\r\n",
            .bodyTooLarge
        ),
    ]

    @Test(arguments: splitIndependent)
    func verdictDoesNotDependOnReadSizes(_ request: String, _ expected: HTTPParseError?) {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 10)
        let all = bytes(request)
        let whole = parse([all], limits: limits)
        #expect(whole.error == expected)
        if expected == nil { #expect(whole.requests.count == 1) }
        for split in 0...all.count {
            #expect(parse([Array(all[0..<split]), Array(all[split...])], limits: limits) == whole, "split at \(split)")
        }
        #expect(parse(all.map { [$0] }, limits: limits) == whole, "byte by byte")
    }

    @Test func endlessEmptyLinesAreRefused() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 10)
        let stream = Array(repeating: bytes("\r\n"), count: 1000)
        #expect(parse(stream, limits: limits).error == .malformedRequestLine)
    }

    @Test func waitsForMoreDataWithoutError() {
        var parser = HTTPRequestParser()
        var buffer = InboundBuffer(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab"))
        guard case .head = try? parser.next(&buffer) else {
            Issue.record("expected head")
            return
        }
        let pending = try? parser.next(&buffer)
        #expect(pending == nil)
        buffer.append(contentsOf: bytes("cd"))
        guard case .end(let body)? = try? parser.next(&buffer) else {
            Issue.record("expected end")
            return
        }
        #expect(body == bytes("abcd"))
        #expect(parser.isIdle)
    }
}
