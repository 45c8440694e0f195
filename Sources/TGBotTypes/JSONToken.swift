/// One value of a parsed JSON document, as stored on a ``JSONTape``.
///
/// 16 bytes, no references: a document becomes one contiguous array of these. Strings and numbers are kept
/// as byte ranges of the input and only turned into Swift values when a decoder asks for them.
struct JSONToken: Sendable {
    /// What kind of value this is.
    enum Kind: UInt8, Sendable {
        case null, `false`, `true`, number, string, array, object
    }

    /// Strings: the first content byte (after the quote). Numbers: the first character. Containers and
    /// literals: the opening byte.
    var start: UInt32
    /// Strings: content bytes as written (escapes undecoded). Numbers: text length. Containers: the number
    /// of members or elements.
    var length: UInt32
    /// The index of the token after this value and everything nested in it (the next sibling).
    var end: UInt32
    var kind: Kind
    /// ``hasEscapes`` for strings, ``isIntegerSyntax`` for numbers.
    var flags: UInt8

    /// The string contains at least one backslash escape.
    static let hasEscapes: UInt8 = 1
    /// The number has no fraction and no exponent.
    static let isIntegerSyntax: UInt8 = 1
    /// The string's bytes are all ASCII (so its decoded form has the same bytes when it has no escapes).
    static let isASCII: UInt8 = 2

    init(kind: Kind, start: Int, length: Int = 0, end: Int, flags: UInt8 = 0) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.length = UInt32(truncatingIfNeeded: length)
        self.end = UInt32(truncatingIfNeeded: end)
        self.kind = kind
        self.flags = flags
    }

    /// The JSON kind, for error messages (as ``JSONValue``'s).
    var kindName: String {
        switch kind {
        case .null: "null"
        case .false, .true: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
