/// A type that decodes straight from a ``JSONTape`` through a ``JSONTapeReader``, without `Decoder`.
///
/// The generator makes every Bot API struct and union conform: a struct resolves its members to fields
/// once and reads each field from the bytes, so decoding a `Message` costs one hash per member present and
/// no per-field lookup through `KeyedDecodingContainer`. Hand-written `Codable` types (and unions whose
/// variants include non-objects) do not conform; the reader decodes them with their `init(from:)` over a
/// ``JSONValue`` materialized for just their subtree.
///
/// Errors are the `DecodingError`s, with the coding paths, that `JSONDecoder` reports for the same input.
protocol JSONTapeDecodable: Decodable {
    /// Decodes from the value at token `index`.
    init(tape: inout JSONTapeReader, at index: Int) throws
}

extension Array: JSONTapeDecodable where Element: Decodable {
    init(tape: inout JSONTapeReader, at index: Int) throws {
        let token = tape.tokens[index]
        guard token.kind == .array else { throw tape.mismatch(Self.self, at: index) }
        var result: [Element] = []
        result.reserveCapacity(Int(token.length))
        var element = index + 1
        for position in 0..<Int(token.length) {
            do {
                result.append(try tape.decodeValue(Element.self, at: element))
            } catch {
                throw JSONTapeReader.prefixed(error, with: JSONIndexKey(position))
            }
            element = tape.next(after: element)
        }
        self = result
    }
}

extension Box: JSONTapeDecodable {
    convenience init(tape: inout JSONTapeReader, at index: Int) throws {
        self.init(try tape.decodeValue(Wrapped.self, at: index))
    }
}
