/// A type that decodes straight from a parsed ``JSONValue`` tree, without going through `Decoder`.
///
/// The generator makes every Bot API struct conform with an initializer that reads each field by name
/// (`JSONTreeObject.decode(_:)`), so decoding a `Message` costs one cheap lookup per field instead of a trip
/// through `KeyedDecodingContainer`'s type-erasing box and the runtime's generic-metadata lookups per field.
/// Unions and hand-written types keep their `Codable` implementations and are reached through
/// ``JSONTreeDecoder``, whose containers route members that conform back here.
///
/// Errors are the `DecodingError`s, with the coding paths, that `JSONDecoder` reports for the same input.
protocol JSONTreeDecodable: Decodable {
    /// Decodes from `value`, which sits under `key` below `parent` (both only for error paths).
    init(jsonTree value: JSONValue, in parent: JSONTreeDecoder?, key: (any CodingKey)?) throws
}

/// Decoding of one value of any `Decodable` type from the tree: scalars directly, ``JSONTreeDecodable``
/// types through their tree initializer, anything else through `init(from:)` with a ``JSONTreeDecoder``.
enum JSONTree {
    /// In specialised code the type tests fold away, leaving the one branch that applies.
    @inline(__always)
    static func decode<T: Decodable>(
        _ type: T.Type, _ value: JSONValue, in parent: JSONTreeDecoder?, key: (any CodingKey)?
    ) throws -> T {
        func path() -> [any CodingKey] { (parent?.codingPath ?? []) + (key.map { [$0] } ?? []) }
        if T.self == String.self {
            guard case .string(let string) = value else {
                throw JSONTreeDecoder.mismatch(T.self, value: value, path: path())
            }
            return string as! T  // T is String
        }
        if T.self == Int64.self { return try JSONTreeDecoder.decodeInteger(Int64.self, value, path: path()) as! T }
        if T.self == Bool.self {
            guard case .bool(let bool) = value else {
                throw JSONTreeDecoder.mismatch(T.self, value: value, path: path())
            }
            return bool as! T  // T is Bool
        }
        if T.self == Double.self { return try JSONTreeDecoder.decodeDouble(value, path: path()) as! T }
        if T.self == JSONValue.self { return value as! T }  // T is JSONValue
        if let tree = T.self as? any JSONTreeDecodable.Type {
            return try tree.init(jsonTree: value, in: parent, key: key) as! T  // `tree` is T.self
        }
        let decoder = JSONTreeDecoder(value: value, parent: parent, key: key, userInfo: parent?.storedUserInfo ?? [:])
        return try T(from: decoder)
    }
}

/// The members of one object being decoded by a generated tree initializer.
struct JSONTreeObject {
    /// This object's node, the parent of its members' error paths.
    let node: JSONTreeDecoder
    private let members: JSONMemberTable

    /// Fails with `typeMismatch` (or `valueNotFound` for `null`) when `value` is not an object.
    init(_ value: JSONValue, in parent: JSONTreeDecoder?, key: (any CodingKey)?) throws {
        node = JSONTreeDecoder(value: value, parent: parent, key: key, userInfo: parent?.storedUserInfo ?? [:])
        guard case .object(let members) = value else {
            throw node.mismatch([String: JSONValue].self, path: node.codingPath)
        }
        self.members = JSONMemberTable(members)
    }

    /// The required member `key`: `keyNotFound` when missing, `valueNotFound` when `null`.
    @inline(__always)
    func decode<T: Decodable, Key: CodingKey>(_ key: Key) throws -> T {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: node.codingPath,
                    debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return try JSONTree.decode(T.self, value, in: node, key: key)
    }

    /// The optional member `key`: nil when missing or `null`.
    @inline(__always)
    func decodeIfPresent<T: Decodable, Key: CodingKey>(_ key: Key) throws -> T? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try JSONTree.decode(T.self, value, in: node, key: key)
    }
}

extension Array: JSONTreeDecodable where Element: Decodable {
    init(jsonTree value: JSONValue, in parent: JSONTreeDecoder?, key: (any CodingKey)?) throws {
        guard case .array(let elements) = value else {
            throw JSONTreeDecoder.mismatch(
                Self.self, value: value, path: (parent?.codingPath ?? []) + (key.map { [$0] } ?? []))
        }
        let node = JSONTreeDecoder(value: value, parent: parent, key: key, userInfo: parent?.storedUserInfo ?? [:])
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try JSONTree.decode(Element.self, element, in: node, key: JSONIndexKey(index)))
        }
        self = result
    }
}

extension Box: JSONTreeDecodable {
    convenience init(jsonTree value: JSONValue, in parent: JSONTreeDecoder?, key: (any CodingKey)?) throws {
        self.init(try JSONTree.decode(Wrapped.self, value, in: parent, key: key))
    }
}
