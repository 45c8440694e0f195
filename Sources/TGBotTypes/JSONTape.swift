/// A parsed JSON document as a flat index over its bytes: one ``JSONToken`` per value, in document order,
/// each container followed by its members (an object's as key, value, key, value, …).
///
/// Parsing validates exactly as strictly as the RFC 8259 grammar demands (UTF-8, escapes, numbers, nesting
/// up to ``JSONValue/maxParsingDepth``) but materializes nothing: no `String`, no dictionary, no per-object
/// allocation. Decoders then read the members they want straight from the bytes (``JSONTapeReader``), and
/// ``materialize(at:)`` builds a ``JSONValue`` only for the subtrees someone asks for.
///
/// Duplicate keys are kept on the tape; every reader takes the **last** occurrence, as `Dictionary`
/// assignment in ``JSONValue`` does.
struct JSONTape: Sendable {
    /// The document's bytes (shared with the caller's array, not copied).
    let bytes: [UInt8]
    /// The values; `tokens[0]` is the top-level value.
    let tokens: [JSONToken]

    /// Parses `bytes`.
    ///
    /// - Throws: ``JSONParseError`` with the same offsets and reasons as the tree parser it replaces.
    init(parsing bytes: [UInt8]) throws(JSONParseError) {
        guard bytes.count < Int(UInt32.max) else {
            throw JSONParseError(offset: 0, reason: "document too large")
        }
        self.bytes = bytes
        tokens = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> [JSONToken] in
            var parser = JSONTapeParser(bytes: buffer)
            try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.error("unexpected data after the value") }
            return parser.tokens
        }
    }

    /// Runs `body` with a reader over this tape (pointers valid only inside `body`).
    func withReader<R, E: Error>(_ body: (inout JSONTapeReader) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeBufferPointer { (bytes) throws(E) -> R in
            try tokens.withUnsafeBufferPointer { (tokens) throws(E) -> R in
                var reader = JSONTapeReader(bytes: bytes, tokens: tokens)
                return try body(&reader)
            }
        }
    }

    /// The whole document as a ``JSONValue``.
    func materialize() -> JSONValue {
        withReader { reader in reader.materialize(at: 0) }
    }
}
