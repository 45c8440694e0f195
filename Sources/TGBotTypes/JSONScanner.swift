/// A single-pass, allocation-free JSON validator (RFC 8259) that also finds the top-level `update_id`.
///
/// It checks the whole document — structure, string escapes, UTF-8, number grammar, nesting depth — because
/// a webhook body that is not JSON must be refused at intake (400), before it is acknowledged. It decodes no
/// values except the one integer it is asked for, which is why it is several times faster than a full parse.
public enum JSONScanner {
    /// The deepest nesting accepted; deeper documents are refused rather than risking the stack.
    public static let maxDepth = 256

    /// Validates `bytes` as JSON and returns the integer value of the top-level `update_id` key.
    public static func updateID(in bytes: [UInt8]) throws(RawUpdateError) -> Int64 {
        try bytes.withUnsafeBufferPointer { (p) throws(RawUpdateError) -> Int64 in
            var scanner = Cursor(p: p)
            return try scanner.document()
        }
    }

    /// Validates `bytes` as a JSON document of any kind.
    public static func validate(_ bytes: [UInt8]) throws(RawUpdateError) {
        try bytes.withUnsafeBufferPointer { (p) throws(RawUpdateError) in
            var scanner = Cursor(p: p)
            scanner.skipBOMAndWhitespace()
            try scanner.value(depth: 0)
            scanner.skipWhitespace()
            if scanner.i != p.count { throw scanner.fail("trailing characters") }
        }
    }

    private struct Cursor {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ reason: String) -> RawUpdateError {
            .malformedJSON(offset: i, reason: reason)
        }

        mutating func skipBOMAndWhitespace() {
            if p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
            skipWhitespace()
        }

        @inline(__always)
        mutating func skipWhitespace() {
            while i < p.count {
                let b = p[i]
                if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { return }
            }
        }

        mutating func document() throws(RawUpdateError) -> Int64 {
            skipBOMAndWhitespace()
            guard i < p.count else { throw fail("empty body") }
            guard p[i] == UInt8(ascii: "{") else {
                try value(depth: 0)
                skipWhitespace()
                if i != p.count { throw fail("trailing characters") }
                throw .notAnObject
            }
            i += 1
            var updateID: Int64?
            var sawUpdateID = false
            var invalidUpdateID = false
            var duplicateUpdateID = false
            skipWhitespace()
            if i < p.count && p[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    skipWhitespace()
                    guard i < p.count, p[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                    let isUpdateID = try keyIsUpdateID()
                    skipWhitespace()
                    guard i < p.count, p[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipWhitespace()
                    if isUpdateID {
                        // Keep scanning: a malformed document is reported as such even after a repeated key.
                        if sawUpdateID { duplicateUpdateID = true }
                        sawUpdateID = true
                        let start = i
                        try value(depth: 1)
                        updateID = Self.integer(UnsafeBufferPointer(rebasing: p[start..<i]))
                        if updateID == nil { invalidUpdateID = true }
                    } else {
                        try value(depth: 1)
                    }
                    skipWhitespace()
                    guard i < p.count else { throw fail("unterminated object") }
                    if p[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard p[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                    i += 1
                    break
                }
            }
            skipWhitespace()
            if i != p.count { throw fail("trailing characters") }
            if duplicateUpdateID { throw .duplicateUpdateID }
            if invalidUpdateID { throw .updateIDNotInteger }
            guard let updateID else { throw .missingUpdateID }
            return updateID
        }

        /// Scans a member name and reports whether it spells `update_id` (escapes included).
        mutating func keyIsUpdateID() throws(RawUpdateError) -> Bool {
            let start = i + 1
            let hadEscape = try string()
            let raw = UnsafeBufferPointer(rebasing: p[start..<(i - 1)])
            if !hadEscape {
                return raw.elementsEqual("update_id".utf8)
            }
            // Rare: an escaped key. `string()` has already checked the escapes' grammar, so decode each one to
            // the code unit it stands for (RFC 8259 §7); a unit outside ASCII can never spell `update_id`.
            var decoded: [UInt8] = []
            var j = 0
            while j < raw.count {
                if decoded.count > 9 { return false }
                guard raw[j] == UInt8(ascii: "\\") else {
                    decoded.append(raw[j])
                    j += 1
                    continue
                }
                let escape = raw[j + 1]
                switch escape {
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var unit: UInt32 = 0
                    for k in 2...5 { unit = unit << 4 | UInt32(Self.hexValue(raw[j + k])) }
                    guard unit < 0x80 else { return false }
                    decoded.append(UInt8(unit))
                    j += 6
                    continue
                default: decoded.append(escape)  // `"`, `\\` and `/` stand for themselves
                }
                j += 2
            }
            return decoded.elementsEqual("update_id".utf8)
        }

        static func hexValue(_ b: UInt8) -> UInt8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
            default: b - UInt8(ascii: "A") + 10
            }
        }

        mutating func value(depth: Int) throws(RawUpdateError) {
            guard depth < JSONScanner.maxDepth else { throw fail("nesting too deep") }
            guard i < p.count else { throw fail("unexpected end") }
            switch p[i] {
            case UInt8(ascii: "{"):
                i += 1
                skipWhitespace()
                if i < p.count && p[i] == UInt8(ascii: "}") {
                    i += 1
                    return
                }
                while true {
                    skipWhitespace()
                    guard i < p.count, p[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                    _ = try string()
                    skipWhitespace()
                    guard i < p.count, p[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipWhitespace()
                    try value(depth: depth + 1)
                    skipWhitespace()
                    guard i < p.count else { throw fail("unterminated object") }
                    if p[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard p[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                    i += 1
                    return
                }
            case UInt8(ascii: "["):
                i += 1
                skipWhitespace()
                if i < p.count && p[i] == UInt8(ascii: "]") {
                    i += 1
                    return
                }
                while true {
                    skipWhitespace()
                    try value(depth: depth + 1)
                    skipWhitespace()
                    guard i < p.count else { throw fail("unterminated array") }
                    if p[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    guard p[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                    i += 1
                    return
                }
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "t"):
                try literal("true")
            case UInt8(ascii: "f"):
                try literal("false")
            case UInt8(ascii: "n"):
                try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try number()
            default:
                throw fail("unexpected character")
            }
        }

        mutating func literal(_ word: StaticString) throws(RawUpdateError) {
            let count = word.utf8CodeUnitCount
            guard i + count <= p.count else { throw fail("unexpected end") }
            let w = UnsafeBufferPointer(start: word.utf8Start, count: count)
            for k in 0..<count where p[i + k] != w[k] { throw fail("invalid literal") }
            i += count
        }

        /// number = [ minus ] int [ frac ] [ exp ]
        mutating func number() throws(RawUpdateError) {
            if p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < p.count, isDigit(p[i]) else { throw fail("invalid number") }
            if p[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < p.count && isDigit(p[i]) { i += 1 }
            }
            if i < p.count && p[i] == UInt8(ascii: ".") {
                i += 1
                guard i < p.count, isDigit(p[i]) else { throw fail("invalid fraction") }
                while i < p.count && isDigit(p[i]) { i += 1 }
            }
            if i < p.count && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
                i += 1
                if i < p.count && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
                guard i < p.count, isDigit(p[i]) else { throw fail("invalid exponent") }
                while i < p.count && isDigit(p[i]) { i += 1 }
            }
        }

        @inline(__always)
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

        /// Scans a string starting at the opening quote; returns whether it contained an escape.
        mutating func string() throws(RawUpdateError) -> Bool {
            i += 1
            var hadEscape = false
            while i < p.count {
                let b = p[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return hadEscape
                }
                if b == UInt8(ascii: "\\") {
                    hadEscape = true
                    i += 1
                    guard i < p.count else { break }
                    switch p[i] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 1
                    case UInt8(ascii: "u"):
                        guard i + 4 < p.count else { throw fail("truncated \\u escape") }
                        for k in 1...4 where !isHex(p[i + k]) { throw fail("invalid \\u escape") }
                        i += 5
                    default:
                        throw fail("invalid escape")
                    }
                } else if b < 0x20 {
                    throw fail("control character in string")
                } else if b < 0x80 {
                    i += 1
                } else {
                    try utf8Sequence()
                }
            }
            throw fail("unterminated string")
        }

        @inline(__always)
        func isHex(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
        }

        /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
        mutating func utf8Sequence() throws(RawUpdateError) {
            let b0 = p[i]
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: throw fail("invalid UTF-8")
            }
            guard i + length <= p.count else { throw fail("truncated UTF-8") }
            let b1 = p[i + 1]
            guard b1 >= lower && b1 <= upper else { throw fail("invalid UTF-8") }
            for k in 2..<max(2, length) where p[i + k] & 0xC0 != 0x80 { throw fail("invalid UTF-8") }
            i += length
        }

        /// Parses a JSON number token as Int64, or nil when it has a fraction, an exponent or overflows.
        static func integer(_ t: UnsafeBufferPointer<UInt8>) -> Int64? {
            guard !t.isEmpty else { return nil }
            var k = 0
            let negative = t[0] == UInt8(ascii: "-")
            if negative { k = 1 }
            guard k < t.count else { return nil }
            var value: Int64 = 0
            while k < t.count {
                let b = t[k]
                guard b >= 48 && b <= 57 else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) =
                    negative
                    ? m.subtractingReportingOverflow(Int64(b - 48))
                    : m.addingReportingOverflow(Int64(b - 48))
                if o1 || o2 { return nil }
                value = s
                k += 1
            }
            return value
        }
    }
}
