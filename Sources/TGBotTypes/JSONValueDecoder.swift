/// Decodes `Decodable` values straight from a parsed ``JSONValue`` tree.
///
/// For a tree already in hand (``Update/raw``, an ``Update/Kind/unknown(name:raw:)`` payload): decoding from it
/// skips serializing it back to bytes for `JSONDecoder`. (`Update(jsonBytes:)` itself decodes from a
/// ``JSONTape`` of the bytes, which is cheaper still.)
///
/// It follows `JSONDecoder`'s default strategies, so a payload decodes to the same value and fails with the
/// same `DecodingError` case and coding path either way:
/// - integers decode into any integer type they fit, and into `Double`/`Float`; a number with a fraction or
///   exponent decodes into an integer type only when it is integral and fits;
/// - `Bool` only from `true`/`false`, `String` only from a string — no coercion;
/// - a missing key is `keyNotFound`, `null` where a value belongs is `valueNotFound`, any other mismatch is
///   `typeMismatch`; `decodeIfPresent` answers nil for a missing key and for `null`.
/// - a ``JSONValue`` property receives its subtree as is.
///
/// One deliberate difference: a number that does not fit its type is `dataCorrupted` at the member's path,
/// where `JSONDecoder` gives an empty path.
///
/// ```swift
/// let message = try JSONValueDecoder().decode(Message.self, from: update.raw["message"] ?? .null)
/// ```
public struct JSONValueDecoder: Sendable {
    /// Values handed to every `Decoder` this creates, as with `JSONDecoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates a decoder.
    public init() {}

    /// Decodes a value of type `T` from `value`.
    ///
    /// - Throws: `DecodingError` when `value` does not have the shape of `T`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        // Scalars and `JSONValue` are read straight from the tree; with `userInfo`, the top level goes through
        // `init(from:)` so types that read it see it.
        if userInfo.isEmpty { return try JSONTree.decode(T.self, value, in: nil, key: nil) }
        return try T(from: JSONTreeDecoder(value: value, parent: nil, key: nil, userInfo: userInfo))
    }
}

/// The `Decoder` over one node of the tree. Its coding path is kept as a parent link and only materialised
/// when someone asks (errors, or a type reading `codingPath`), so decoding a member costs no array building.
final class JSONTreeDecoder: Decoder {
    let value: JSONValue
    let parent: JSONTreeDecoder?
    let key: (any CodingKey)?
    let storedUserInfo: [CodingUserInfoKey: any Sendable]

    init(
        value: JSONValue, parent: JSONTreeDecoder?, key: (any CodingKey)?,
        userInfo: [CodingUserInfoKey: any Sendable]
    ) {
        self.value = value
        self.parent = parent
        self.key = key
        self.storedUserInfo = userInfo
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: JSONTreeDecoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        path.reverse()
        return path
    }

    var userInfo: [CodingUserInfoKey: Any] { storedUserInfo }

    func child(_ value: JSONValue, key: any CodingKey) -> JSONTreeDecoder {
        JSONTreeDecoder(value: value, parent: self, key: key, userInfo: storedUserInfo)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: JSONValue].self, path: codingPath)
        }
        return KeyedDecodingContainer(JSONTreeKeyedContainer<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, path: codingPath) }
        return JSONTreeUnkeyedContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONTreeSingleValueContainer(decoder: self)
    }

    /// The error for `value` not being a `T`: `valueNotFound` for `null`, else `typeMismatch`.
    func mismatch(_ type: Any.Type, path: [any CodingKey]) -> DecodingError {
        Self.mismatch(type, value: value, path: path)
    }

    static func mismatch(_ type: Any.Type, value: JSONValue, path: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(
                type,
                .init(
                    codingPath: path, debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(
            type,
            .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(value.kindName) instead.")
        )
    }

    // MARK: Scalars, shared by the three container kinds

    static func decodeBool(_ value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw Self.mismatch(Bool.self, value: value, path: path()) }
        return bool
    }

    static func decodeString(_ value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw Self.mismatch(String.self, value: value, path: path()) }
        return string
    }

    static func decodeInteger<T: FixedWidthInteger>(
        _ type: T.Type, _ value: JSONValue, path: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        switch value {
        case .integer(let integer):
            if let result = T(exactly: integer) { return result }
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "Number \(integer) does not fit in \(T.self)."))
        case .double(let double):
            if let result = T(exactly: double) { return result }
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "Number \(double) does not fit in \(T.self)."))
        default:
            throw Self.mismatch(T.self, value: value, path: path())
        }
    }

    static func decodeDouble(_ value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> Double {
        switch value {
        case .double(let double): return double
        case .integer(let integer): return Double(integer)
        default: throw Self.mismatch(Double.self, value: value, path: path())
        }
    }

    static func decodeFloat(_ value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> Float {
        let double = try Self.decodeDouble(value, path: path())
        guard double.isFinite, abs(double) <= Double(Float.greatestFiniteMagnitude) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "Number \(double) does not fit in Float."))
        }
        return Float(double)
    }

    func decodeValue<T: Decodable>(_ type: T.Type, _ value: JSONValue, key: any CodingKey) throws -> T {
        try JSONTree.decode(T.self, value, in: self, key: key)
    }
}

extension JSONValue {
    /// The JSON kind, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A coding key for an array index, as in `JSONDecoder`'s paths (`Index 3`).
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// The key `super` that `superDecoder()` uses.
struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }

    init() {}
    init?(intValue: Int) { nil }
    init?(stringValue: String) { nil }
}
