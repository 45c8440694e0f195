// libFuzzer target for HTTPRequestParser (Sources/TGBotHTTP/HTTP1/HTTPRequestParser.swift).
//
// Built by scripts/fuzz-http-parser with plain swiftc, compiled together with the parser's own source files
// as one module named TGBotHTTP, so internal API is visible and nothing else of the server is linked in.
//
// Input format: byte 0 is a seed, bytes 1... are the stream a client sends.
//   seed bits 0-6: how the stream is cut into reads for the split run (0 = one byte per read)
//   seed bit 7:    small limits (so size limits are reachable with short inputs) instead of the defaults
//
// The stream is parsed twice — all at once, and in chunks — calling `next` until it returns nil or throws,
// and these must hold (a violation traps, which libFuzzer reports as a crash):
//   * nothing traps (no out-of-bounds index, no overflow, no precondition failure in the parser);
//   * the parser makes progress: the number of events is bounded by the input length;
//   * consumed bytes never exceed the bytes appended, and the buffer's cursor stays inside its storage;
//   * a head is sane: version 1.0/1.1, non-empty target, `.length(n)` has 0 < n <= maxBodyBytes;
//   * `.end` follows a `.head`; its body is exactly n bytes for `.length(n)`, empty for `.none`, at most
//     maxBodyBytes for chunked; for fixed framing the request consumed exactly head + n bytes;
//   * after an error the parser stays failed (the next call throws the same error);
//   * differential: the whole run and the split run give the same sequence of events and the same final
//     error (or the same leftover bytes and idle state when both stop for more data).
//
// The divergences K1-K3 once found here (Fuzz/README.md) are fixed; the comparison is always strict.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Recording

enum Outcome: Equatable {
    case head(HeadSummary)
    case end([UInt8])
}

struct HeadSummary: Equatable {
    var method: HTTPMethod
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: HTTPRequestHead.Framing
    var expectsContinue: Bool
    var keepAlive: Bool

    init(_ h: HTTPRequestHead) {
        method = h.method
        target = h.target
        version = h.version
        headers = h.headers
        framing = h.framing
        expectsContinue = h.expectsContinue
        keepAlive = h.keepAlive
    }
}

struct Run: Equatable {
    var events: [Outcome] = []
    var error: HTTPParseError?
    /// Unconsumed bytes when the run stopped for more data (only compared when there is no error).
    var leftover: Int = 0
    var idle = false
}

@inline(never)
func violation(_ message: String, _ input: [UInt8]) -> Never {
    var text = "HTTPParserFuzz invariant violated: \(message)\ninput (\(input.count) bytes): "
    text += String(
        decoding: input.prefix(600).map { ($0 >= 0x20 && $0 < 0x7F) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
    text += "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
}

/// Feeds `stream` in reads of the given sizes and checks the per-run invariants.
func parse(_ stream: [UInt8], reads: [Int], limits: HTTPParserLimits) -> Run {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = InboundBuffer()
    var run = Run()
    var appended = 0
    var offset = 0
    var currentHead: HTTPRequestHead?
    var consumedAtHeadStart = 0  // consumed count when the current request's head was complete
    var headBytes = 0
    let maxEvents = 2 * stream.count + 8

    func consumed() -> Int { appended - buffer.readableCount }

    for size in reads {
        let piece = stream[offset..<min(stream.count, offset + size)]
        offset += piece.count
        let before = consumed()
        buffer.append(contentsOf: piece)
        appended += piece.count
        if consumed() != before { violation("append changed the consumed count", stream) }
        while true {
            let consumedBefore = consumed()
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next(&buffer)
            } catch {
                run.error = error
                // A failed parser stays failed, with the same error, and consumes nothing more.
                let after = consumed()
                do {
                    _ = try parser.next(&buffer)
                    violation("parser recovered after \(error)", stream)
                } catch let again {
                    if again != error { violation("failed parser changed error \(error) -> \(again)", stream) }
                }
                if consumed() != after { violation("failed parser consumed bytes", stream) }
                if parser.isIdle { violation("failed parser reports idle", stream) }
                return run
            }
            let now = consumed()
            if buffer.readerIndex < 0 || buffer.readerIndex > buffer.bytes.count {
                violation("readerIndex \(buffer.readerIndex) outside storage \(buffer.bytes.count)", stream)
            }
            if now > appended || now < consumedBefore {
                violation("consumed \(now) of \(appended) appended (was \(consumedBefore))", stream)
            }
            guard let event else { break }
            if run.events.count >= maxEvents { violation("no progress: \(run.events.count) events", stream) }
            switch event {
            case .head(let head):
                if currentHead != nil { violation("two heads without an end", stream) }
                if head.version != .http1_0 && head.version != .http1_1 { violation("version \(head.version)", stream) }
                if head.target.isEmpty || head.method.rawValue.isEmpty { violation("empty target or method", stream) }
                if head.headers.count > limits.maxHeaderCount { violation("header count over limit", stream) }
                if case .length(let n) = head.framing, n <= 0 || n > limits.maxBodyBytes {
                    violation("framing length \(n)", stream)
                }
                if parser.isIdle { violation("idle right after a head", stream) }
                currentHead = head
                consumedAtHeadStart = now
                headBytes = now - consumedBefore
                if headBytes < 16 { violation("head of \(headBytes) bytes", stream) }
                run.events.append(.head(HeadSummary(head)))
            case .end(let body):
                guard let head = currentHead else { violation("end without a head", stream) }
                if body.count > limits.maxBodyBytes { violation("body \(body.count) over limit", stream) }
                switch head.framing {
                case .none:
                    if !body.isEmpty { violation("body for framing none", stream) }
                    if now != consumedAtHeadStart { violation("bytes consumed for an empty body", stream) }
                case .length(let n):
                    if body.count != n { violation("body \(body.count) != Content-Length \(n)", stream) }
                    if now - consumedAtHeadStart != n {
                        violation("consumed \(now - consumedAtHeadStart) for body of \(n)", stream)
                    }
                    // The body is exactly the bytes after the head.
                    let start = consumedAtHeadStart
                    if Array(stream[start..<(start + n)]) != body {
                        violation("body bytes differ from the stream", stream)
                    }
                case .chunked:
                    if now - consumedAtHeadStart < 5 { violation("chunked body without a last chunk", stream) }
                }
                currentHead = nil
                run.events.append(.end(body))
            }
        }
    }
    if offset != stream.count { violation("reads did not cover the stream", stream) }
    run.leftover = buffer.readableCount
    run.idle = parser.isIdle
    if run.idle && currentHead != nil { violation("idle inside a request", stream) }
    return run
}

// MARK: - Entry point

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let defaultLimits = HTTPParserLimits()
let smallLimits = HTTPParserLimits(maxRequestLineBytes: 48, maxHeaderBytes: 160, maxHeaderCount: 6, maxBodyBytes: 64)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let seed = data[0]
    let stream = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let limits = seed & 0x80 != 0 ? smallLimits : defaultLimits

    let whole = parse(stream, reads: [stream.count], limits: limits)

    var reads: [Int] = []
    let maxRead = Int(seed & 0x7F)
    var rng = SplitMix(state: UInt64(seed) &* 0x1234_5678_9ABC_DEF1 &+ UInt64(stream.count))
    var covered = 0
    while covered < stream.count {
        let n = maxRead == 0 ? 1 : 1 + Int(rng.next() % UInt64(maxRead))
        reads.append(n)
        covered += n
    }
    if reads.isEmpty { reads = [0] }
    let split = parse(stream, reads: reads, limits: limits)

    var same = whole.events == split.events && whole.error == split.error
    if same && whole.error == nil { same = whole.leftover == split.leftover && whole.idle == split.idle }
    if !same {
        func describe(_ r: Run) -> String {
            let events = r.events.map { e -> String in
                switch e {
                case .head(let h): "head(\(h.method) \(h.target) \(h.framing))"
                case .end(let b): "end(\(b.count))"
                }
            }
            return "events=\(events) error=\(r.error.map { "\($0)" } ?? "nil") leftover=\(r.leftover) idle=\(r.idle)"
        }
        violation(
            "whole and split runs differ (reads \(reads.prefix(40)))\n  whole: \(describe(whole))\n  split: \(describe(split))",
            stream)
    }
    return 0
}
