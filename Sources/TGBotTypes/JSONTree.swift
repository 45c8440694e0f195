/// Decoding of one value of any `Decodable` type from a ``JSONValue`` tree: scalars directly, anything else
/// through `init(from:)` with a ``JSONTreeDecoder``. (Bytes decode faster through ``JSONTapeReader``.)
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
        let decoder = JSONTreeDecoder(value: value, parent: parent, key: key, userInfo: parent?.storedUserInfo ?? [:])
        return try T(from: decoder)
    }
}
