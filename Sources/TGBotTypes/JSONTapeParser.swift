/// Recursive-descent validator over a borrowed buffer (RFC 8259 §2–§7) that records a ``JSONToken`` per value.
///
/// Its structure, and therefore every error offset and reason, mirrors the tree parser `JSONValue(parsing:)`
/// used before the tape (kept in the tests as the oracle).
struct JSONTapeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var tokens: [JSONToken] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Even dense JSON spends a few bytes per value; growing past this is rare and amortised.
        tokens.reserveCapacity(bytes.count / 6 + 8)
    }

    func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParseError) {
        guard depth < JSONValue.maxParsingDepth else { throw error("nesting too deep") }
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try parseObject(depth: depth)
        case UInt8(ascii: "["): try parseArray(depth: depth)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ literal: StaticString, _ kind: JSONToken.Kind) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("invalid literal") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] { throw error("invalid literal") }
        tokens.append(JSONToken(kind: kind, start: index, end: tokens.count + 1))
        index += count
    }

    /// Appends a container token now (so it precedes its members) and patches its count and end later.
    mutating func openContainer(_ kind: JSONToken.Kind) -> Int {
        tokens.append(JSONToken(kind: kind, start: index, end: 0))
        index += 1
        return tokens.count - 1
    }

    mutating func close(_ container: Int, count: Int) {
        tokens[container].length = UInt32(truncatingIfNeeded: count)
        tokens[container].end = UInt32(truncatingIfNeeded: tokens.count)
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) {
        let container = openContainer(.object)
        var count = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            close(container, count: 0)
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
            try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            try parseValue(depth: depth + 1)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                close(container, count: count)
                return
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) {
        let container = openContainer(.array)
        var count = 0
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            close(container, count: 0)
            return
        }
        while true {
            try parseValue(depth: depth + 1)
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw error("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                close(container, count: count)
                return
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    /// Validates a string starting at its opening quote and records its content range.
    ///
    /// UTF-8 is checked on the bytes as written: escapes are ASCII in the input and decode to complete
    /// sequences, so the written bytes are valid exactly when the decoded ones are.
    mutating func parseString() throws(JSONParseError) {
        index += 1
        let start = index
        var flags: UInt8 = 0
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !isASCII {
                    guard UTF8Validation.isValid(UnsafeBufferPointer(rebasing: bytes[start..<index])) else {
                        throw JSONParseError(offset: start, reason: "invalid UTF-8 in string")
                    }
                } else {
                    flags |= JSONToken.isASCII
                }
                tokens.append(
                    JSONToken(kind: .string, start: start, length: index - start, end: tokens.count + 1, flags: flags))
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                flags |= JSONToken.hasEscapes
                try skipEscape()
                continue
            }
            if byte < 0x20 { throw error("control character in string") }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        throw error("unterminated string")
    }

    /// Checks one escape starting at its backslash.
    mutating func skipEscape() throws(JSONParseError) {
        index += 1
        guard index < bytes.count else { throw error("unterminated escape") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            // A high surrogate followed by `\u` reads the next escape now (its errors surface here, as in the
            // tree parser); when it is not a low surrogate it is read again as an escape of its own.
            if (0xD800..<0xDC00).contains(high), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            {
                let saved = index
                index += 2
                let low = try parseHex4()
                if !(0xDC00..<0xE000).contains(low) { index = saved }
            }
        default:
            throw error("invalid escape")
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw error("short \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = JSONTapeParser.hexDigit(bytes[index]) else { throw error("invalid \\u escape") }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func parseNumber() throws(JSONParseError) {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid fraction") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
        // Short integers always fit in Int64; anything else must convert the way the value will be read.
        if !(isInteger && text.count <= 18), JSONNumber.value(of: text, isInteger: isInteger) == nil {
            throw JSONParseError(offset: start, reason: "invalid number")
        }
        tokens.append(
            JSONToken(
                kind: .number, start: start, length: index - start, end: tokens.count + 1,
                flags: isInteger ? JSONToken.isIntegerSyntax : 0))
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
