import Foundation
import TGBotTypes
import Testing

/// A generated round-trip check for one type, named for test output.
struct RoundTripCase: Sendable, CustomStringConvertible {
    let name: String
    /// The spec's field names of the type, sorted (empty for unions).
    let keys: [String]
    /// Round-trips the sample(s) and returns the top-level JSON keys of the struct sample.
    let check: @Sendable () throws -> [String]

    init(_ name: String, keys: [String], _ check: @escaping @Sendable () throws -> [String]) {
        self.name = name
        self.keys = keys
        self.check = check
    }

    var description: String { name }
}

/// A generated method call with every parameter set, and the JSON keys the spec says it has.
struct MethodEncodingCase: Sendable, CustomStringConvertible {
    let name: String
    let keys: [String]
    /// Encodes the call built with samples of the given depth and returns its top-level keys.
    let encode: @Sendable (_ depth: Int) throws -> [String]

    init(_ name: String, keys: [String], _ encode: @escaping @Sendable (_ depth: Int) throws -> [String]) {
        self.name = name
        self.keys = keys
        self.encode = encode
    }

    var description: String { name }
}

func makeEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}

/// decode(encode(value)) == value with both `JSONDecoder` and `JSONValueDecoder`, and encoding again yields the
/// same bytes.
func assertRoundTrip<T: Codable & Hashable>(_ value: T) throws {
    let first = try makeEncoder().encode(value)
    let decoded = try JSONDecoder().decode(T.self, from: first)
    #expect(decoded == value, "\(T.self) changed in a round trip")
    let viaTree = try JSONValueDecoder().decode(T.self, from: JSONValue(parsing: Array(first)))
    #expect(viaTree == value, "\(T.self) changed in a round trip through JSONValueDecoder")
    let second = try makeEncoder().encode(decoded)
    #expect(first == second, "\(T.self) re-encoded differently")
}

/// The top-level keys of a value's JSON encoding, sorted.
func encodedKeys<T: Encodable>(_ value: T) throws -> [String] {
    let json = try JSONValue(parsing: Array(makeEncoder().encode(value)))
    return (json.objectValue ?? [:]).keys.sorted()
}

/// Bytes of a file under `Fixtures/`.
func fixture(_ path: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil))
    return Array(try Data(contentsOf: url))
}

/// Decodes an update from a JSON string literal.
func update(_ json: String) throws -> Update {
    try Update(jsonBytes: Array(json.utf8))
}
