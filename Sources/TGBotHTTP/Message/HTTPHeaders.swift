/// An ordered list of header fields that keeps duplicates.
///
/// Field names compare case-insensitively (RFC 9110 §5.1); values are kept as received, without the
/// surrounding whitespace. Duplicates are preserved because dropping one is how request smuggling starts:
/// the parser must see both `Content-Length` fields to refuse a conflict.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    /// Creates an empty header list.
    public init() { fields = [] }

    /// Creates headers from name/value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of fields, counting duplicates.
    public var count: Int { fields.count }

    /// Appends a field, keeping any existing field of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` with one field.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field named `name`.
    public mutating func remove(name: String) {
        fields.removeAll { HTTPHeaders.namesEqual($0.name, name) }
    }

    /// The first value for `name`, or nil.
    public subscript(name: String) -> String? {
        for field in fields where HTTPHeaders.namesEqual(field.name, name) { return field.value }
        return nil
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { HTTPHeaders.namesEqual($0.name, name) }.map(\.value)
    }

    /// Whether some field named `name` has, among its comma-separated elements, `token` (case-insensitive),
    /// as in `Connection: keep-alive, Upgrade`.
    public func contains(name: String, token: String) -> Bool {
        for field in fields where HTTPHeaders.namesEqual(field.name, name) {
            for element in field.value.split(separator: ",") {
                if HTTPHeaders.namesEqual(element.trimmingSpaces, token) { return true }
            }
        }
        return false
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// ASCII case-insensitive comparison of two header names or tokens.
    /// Header names (ASCII) compared case-insensitively. Native strings (every parsed header and literal)
    /// compare over their contiguous bytes; the generic path below covers the rest.
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                guard x.count == y.count else { return false }
                for i in 0..<x.count where x[i] != y[i] {
                    guard ASCII.lowercased(x[i]) == ASCII.lowercased(y[i]) else { return false }
                }
                return true
            }
        }
        if let fast, let fast { return fast }
        return namesEqual(Substring(a), Substring(b))
    }

    static func namesEqual<A: StringProtocol, B: StringProtocol>(_ a: A, _ b: B) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            guard ASCII.lowercased(p) == ASCII.lowercased(q) else { return false }
        }
        return true
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let s = Substring(self)
        guard let start = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return s[s.endIndex...] }
        let end = s.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return s[start...end]
    }
}

/// ASCII byte helpers for the parser and header comparisons.
enum ASCII {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let space: UInt8 = 32
    static let tab: UInt8 = 9
    static let colon: UInt8 = 58

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 65 && byte <= 90) ? byte | 0x20 : byte
    }

    /// `tchar` from RFC 9110 §5.6.2: the characters allowed in a token (method, header name).
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        tokenTable[Int(byte)]
    }

    private static let tokenTable: [Bool] = (0..<256).map { value in
        let b = UInt8(value)
        if b >= 48 && b <= 57 { return true }  // DIGIT
        if (b >= 65 && b <= 90) || (b >= 97 && b <= 122) { return true }  // ALPHA
        return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
    }
}
