/// Why bytes are not JSON: the byte offset where parsing stopped and a short reason.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Offset of the offending byte in the input.
    public var offset: Int
    /// What was wrong there, e.g. `"expected ':'"`.
    public var reason: String

    public var description: String { "invalid JSON: \(reason) at byte \(offset)" }
}

extension JSONValue {
    /// Deepest nesting accepted, so hostile input cannot exhaust the stack.
    public static let maxParsingDepth = 256

    /// Parses UTF-8 JSON (RFC 8259) into a value.
    ///
    /// The bytes are first indexed into a ``JSONTape`` (one pass, one token array, which validates them), and
    /// the tree is built from the tape. Trailing whitespace is allowed, anything else after the value is not.
    /// An object that repeats a key keeps the last value, as `Dictionary` assignment does.
    ///
    /// - Throws: ``JSONParseError`` for malformed input or nesting deeper than ``maxParsingDepth``.
    public init(parsing bytes: [UInt8]) throws(JSONParseError) {
        let tape = try JSONTape(parsing: bytes)
        self = tape.materialize()
    }
}
