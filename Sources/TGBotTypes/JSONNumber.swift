/// Number and string conversions from the bytes a ``JSONToken`` points at.
enum JSONNumber {
    /// The value of a grammar-valid number: `.integer` when it has integer syntax and fits in `Int64`,
    /// otherwise `.double`; nil only if `Double` cannot read it.
    static func value(of text: UnsafeBufferPointer<UInt8>, isInteger: Bool) -> JSONValue? {
        if isInteger, let integer = int64(text) { return .integer(integer) }
        let string = String(decoding: text, as: UTF8.self)
        return Double(string).map(JSONValue.double)
    }

    /// An integer-syntax number as `Int64`, or nil when it does not fit.
    @inline(__always)
    static func int64(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        let isNegative = text.first == UInt8(ascii: "-")
        let digits = text.count - (isNegative ? 1 : 0)
        if digits <= 18 {
            var value: Int64 = 0
            for byte in text[(isNegative ? 1 : 0)...] { value = value &* 10 &+ Int64(byte &- UInt8(ascii: "0")) }
            return isNegative ? -value : value
        }
        return Int64(String(decoding: text, as: UTF8.self))
    }
}

/// UTF-8 well-formedness (Unicode 15 §3.9, Table 3-7): no overlong forms, no surrogates, nothing above
/// U+10FFFF — the same sequences `String(decoding:as:)` keeps unchanged.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard count - index >= length else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }
}
