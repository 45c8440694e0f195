extension JSONTapeReader {
    /// The index of the value after `index` and everything nested in it.
    @inline(__always)
    func next(after index: Int) -> Int { Int(tokens[index].end) }

    /// The raw bytes of a string or number token (a string's as written, escapes undecoded).
    @inline(__always)
    func text(of token: JSONToken) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.start + token.length)])
    }

    /// The decoded string of a string token.
    func string(of token: JSONToken) -> String {
        let text = text(of: token)
        guard token.flags & JSONToken.hasEscapes != 0 else { return String(decoding: text, as: UTF8.self) }
        // Every escape is at least as long as what it decodes to, so the written length bounds the result.
        return String(unsafeUninitializedCapacity: text.count) { output in
            Self.unescape(text, into: output)
        }
    }

    /// Decodes the escapes of `text` (already validated by the parser); returns the bytes written.
    static func unescape(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var index = 0
        var written = 0
        func append(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<4 { value = value << 4 | UInt32(JSONTapeParser.hexDigit(text[at + offset]) ?? 0) }
            return value
        }
        while index < text.count {
            let byte = text[index]
            guard byte == UInt8(ascii: "\\") else {
                append(byte)
                index += 1
                continue
            }
            let escape = text[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): append(0x08)
            case UInt8(ascii: "f"): append(0x0C)
            case UInt8(ascii: "n"): append(0x0A)
            case UInt8(ascii: "r"): append(0x0D)
            case UInt8(ascii: "t"): append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A pair joins; a lone surrogate becomes U+FFFD.
                    if text.count - index >= 6, text[index] == UInt8(ascii: "\\"), text[index + 1] == UInt8(ascii: "u"),
                        case let low = hex4(index + 2), (0xDC00..<0xE000).contains(low)
                    {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    scalar = 0xFFFD
                }
                for unit in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! { append(unit) }
            default: append(escape)  // `"`, `\`, `/`
            }
        }
        return written
    }

    /// The number of a number token as a ``JSONValue`` (`.integer` or `.double`).
    func number(of token: JSONToken) -> JSONValue {
        let text = text(of: token)
        let isInteger = token.flags & JSONToken.isIntegerSyntax != 0
        // The parser checked that the number converts.
        return JSONNumber.value(of: text, isInteger: isInteger) ?? .double(.nan)
    }

    /// The integer of an integer-syntax number token that fits in `Int64`, else nil.
    @inline(__always)
    func exactInt64(of token: JSONToken) -> Int64? {
        guard token.kind == .number, token.flags & JSONToken.isIntegerSyntax != 0 else { return nil }
        return JSONNumber.int64(text(of: token))
    }

    /// The subtree at `index` as a ``JSONValue``; an object keeps the last of repeated keys.
    func materialize(at index: Int) -> JSONValue {
        let token = tokens[index]
        switch token.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return number(of: token)
        case .string: return .string(string(of: token))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(token.length))
            var element = index + 1
            for _ in 0..<token.length {
                elements.append(materialize(at: element))
                element = next(after: element)
            }
            return .array(elements)
        case .object:
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(Int(token.length))
            var member = index + 1
            for _ in 0..<token.length {
                members[string(of: tokens[member])] = materialize(at: member + 1)
                member = next(after: member + 1)
            }
            return .object(members)
        }
    }
}
