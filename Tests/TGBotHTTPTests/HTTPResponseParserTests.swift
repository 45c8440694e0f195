import Testing

@testable import TGBotHTTP

/// What a response parses to, in a comparable form.
private struct Parsed: Equatable, CustomStringConvertible {
    var status: Int
    var reason: String
    var version: HTTPVersion
    var headers: [String]
    var body: String
    var keepAlive: Bool

    init(_ message: HTTPResponseParser.Message) {
        status = message.response.status.code
        reason = message.response.status.reasonPhrase
        version = message.response.version
        headers = message.response.headers.map { "\($0.name): \($0.value)" }
        body = String(decoding: message.response.body, as: UTF8.self)
        keepAlive = message.keepAlive
    }

    var description: String {
        "\(status) \(reason) \(version) \(headers) body=\(body.debugDescription) ka=\(keepAlive)"
    }
}

/// Feeds `chunks` one at a time, then ends the stream when `endOfStream`, collecting every response.
private func parse(
    _ chunks: [[UInt8]], method: HTTPMethod = .get, endOfStream: Bool = false,
    limits: HTTPParserLimits = HTTPParserLimits()
) throws(HTTPResponseParseError) -> [Parsed] {
    var parser = HTTPResponseParser(limits: limits)
    parser.begin(requestMethod: method)
    var buffer = InboundBuffer()
    var results: [Parsed] = []
    for chunk in chunks {
        buffer.append(contentsOf: chunk)
        while let message = try parser.next(&buffer) {
            results.append(Parsed(message))
            parser.begin(requestMethod: method)
        }
    }
    if endOfStream, let message = try parser.finish(&buffer) { results.append(Parsed(message)) }
    return results
}

/// Every way of cutting `bytes` in two, plus one byte at a time.
private func splits(_ bytes: [UInt8]) -> [[[UInt8]]] {
    var result: [[[UInt8]]] = [[bytes], bytes.map { [$0] }]
    for cut in 1..<bytes.count { result.append([Array(bytes[..<cut]), Array(bytes[cut...])]) }
    return result
}

private struct Case: Sendable, CustomStringConvertible {
    var name: String
    var raw: String
    var method: HTTPMethod = .get
    var endOfStream = false
    var status: Int
    var body: String
    var keepAlive: Bool
    var count = 1
    var description: String { name }
}

private let validCases: [Case] = [
    Case(
        name: "content-length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        status: 200, body: "hello", keepAlive: true),
    Case(
        name: "chunked with extension and trailer",
        raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n",
        status: 200, body: "Wikipedia", keepAlive: true),
    Case(
        name: "connection close", raw: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
        status: 200, body: "ok", keepAlive: false),
    Case(
        name: "http/1.0 default close", raw: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", status: 200, body: "ok",
        keepAlive: false),
    Case(
        name: "http/1.0 keep-alive", raw: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
        status: 200, body: "ok", keepAlive: true),
    Case(
        name: "read until close", raw: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
        endOfStream: true,
        status: 200, body: "until the end", keepAlive: false),
    Case(
        name: "interim 100 skipped",
        raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx",
        status: 201, body: "x", keepAlive: true),
    Case(
        name: "HEAD has no body", raw: "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", method: .head, status: 200,
        body: "", keepAlive: true),
    Case(name: "204 no body", raw: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, body: "", keepAlive: true),
    Case(
        name: "304 ignores length", raw: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n", status: 304,
        body: "",
        keepAlive: true),
    Case(
        name: "empty reason", raw: "HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", status: 404, body: "", keepAlive: true),
    Case(
        name: "two responses back to back",
        raw: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb", status: 200,
        body: "a", keepAlive: true, count: 2),
]

@Suite struct HTTPResponseParserTests {
    @Test(arguments: validCases)
    fileprivate func sameResultAtEverySplit(_ test: Case) throws {
        let bytes = Array(test.raw.utf8)
        let expected = try parse([bytes], method: test.method, endOfStream: test.endOfStream)
        try #require(expected.count == test.count)
        #expect(expected[0].status == test.status)
        #expect(expected[0].body == test.body)
        #expect(expected[0].keepAlive == test.keepAlive)
        for chunks in splits(bytes) {
            let got = try parse(chunks, method: test.method, endOfStream: test.endOfStream)
            #expect(got == expected, "split \(chunks.map(\.count))")
        }
    }

    @Test func headersKeepOrderAndDuplicates() throws {
        let raw = "HTTP/1.1 200 OK\r\nSet-Cookie: a\r\nX:  padded \t\r\nSet-Cookie: b\r\nContent-Length: 0\r\n\r\n"
        let got = try parse([Array(raw.utf8)])
        #expect(got.first?.headers == ["Set-Cookie: a", "X: padded", "Set-Cookie: b", "Content-Length: 0"])
        #expect(got.first?.reason == "OK")
    }

    @Test func cleanCloseBetweenResponsesIsNotAnError() throws {
        var parser = HTTPResponseParser()
        parser.begin(requestMethod: .get)
        var buffer = InboundBuffer()
        #expect(try parser.finish(&buffer) == nil)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", HTTPResponseParseError.truncated),
        ("HTTP/1.1 200 OK\r\nContent-Le", .truncated),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", .truncated),
    ])
    func endOfStreamInsideResponseIsTruncated(raw: String, error: HTTPResponseParseError) {
        for chunks in splits(Array(raw.utf8)) {
            #expect(throws: error) { try parse(chunks, endOfStream: true) }
        }
    }

    @Test(arguments: [
        ("garbage", "NOT HTTP\r\n\r\n", HTTPResponseParseError.malformedStatusLine),
        ("short code", "HTTP/1.1 20 OK\r\n\r\n", .malformedStatusLine),
        ("no space after code", "HTTP/1.1 200OK\r\n\r\n", .malformedStatusLine),
        ("letters in code", "HTTP/1.1 2x0 OK\r\n\r\n", .malformedStatusLine),
        ("http/2", "HTTP/2.0 200 OK\r\n\r\n", .unsupportedVersion),
        ("no colon", "HTTP/1.1 200 OK\r\nBroken\r\n\r\n", .invalidHeader),
        ("space before colon", "HTTP/1.1 200 OK\r\nName : v\r\n\r\n", .invalidHeader),
        ("obs-fold", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", .obsoleteLineFolding),
        ("bad length", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", .invalidContentLength),
        (
            "conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            .conflictingContentLength
        ),
        (
            "length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthWithTransferEncoding
        ),
        ("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunk),
        ("bad chunk end", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY", .invalidChunk),
        ("upgrade", "HTTP/1.1 101 Switching Protocols\r\n\r\n", .unexpectedUpgrade),
        ("body over limit", "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n", .bodyTooLarge),
        ("chunk over limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n801\r\n", .bodyTooLarge),
    ])
    func malformedResponsesAreRejectedAtEverySplit(name: String, raw: String, error: HTTPResponseParseError) {
        let limits = HTTPParserLimits(maxBodyBytes: 1024)
        for chunks in splits(Array(raw.utf8)) {
            #expect(throws: error, "\(name) split \(chunks.map(\.count))") { try parse(chunks, limits: limits) }
        }
    }

    @Test func headerSectionOverLimitIsRejected() {
        let raw = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 600) + "\r\n\r\n"
        let limits = HTTPParserLimits(maxHeaderBytes: 256)
        #expect(throws: HTTPResponseParseError.headersTooLarge) { try parse([Array(raw.utf8)], limits: limits) }
    }

    @Test func parserStaysFailed() throws {
        var parser = HTTPResponseParser()
        parser.begin(requestMethod: .get)
        var buffer = InboundBuffer(Array("XTTP/1.1 200 OK\r\n\r\n".utf8))
        #expect(throws: HTTPResponseParseError.malformedStatusLine) { try parser.next(&buffer) }
        var good = InboundBuffer(Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8))
        #expect(throws: HTTPResponseParseError.malformedStatusLine) { try parser.next(&good) }
    }
}
