/// The unkeyed (array) container of ``JSONValueDecoder``.
struct JSONTreeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: JSONTreeDecoder
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: JSONTreeDecoder, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var path: [any CodingKey] { Self.path(decoder, currentIndex) }

    private static func path(_ decoder: JSONTreeDecoder, _ index: Int) -> [any CodingKey] {
        decoder.codingPath + [JSONIndexKey(index)]
    }

    /// The next element; advances only when `read` succeeds, as `JSONDecoder` does.
    private mutating func next<T>(_ type: T.Type, _ read: (JSONValue) throws -> T) throws -> T {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(
                T.self, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        let value = try read(elements[currentIndex])
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(
                Any?.self, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        guard elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let index = currentIndex
        return try next(Bool.self) { [decoder] in try JSONTreeDecoder.decodeBool($0, path: Self.path(decoder, index)) }
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let index = currentIndex
        return try next(String.self) { [decoder] in
            try JSONTreeDecoder.decodeString($0, path: Self.path(decoder, index))
        }
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        let index = currentIndex
        return try next(Double.self) { [decoder] in
            try JSONTreeDecoder.decodeDouble($0, path: Self.path(decoder, index))
        }
    }

    mutating func decode(_ type: Float.Type) throws -> Float {
        let index = currentIndex
        return try next(Float.self) { [decoder] in try JSONTreeDecoder.decodeFloat($0, path: Self.path(decoder, index))
        }
    }

    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private mutating func integer<T: FixedWidthInteger>() throws -> T {
        let index = currentIndex
        return try next(T.self) { [decoder] in
            try JSONTreeDecoder.decodeInteger(T.self, $0, path: Self.path(decoder, index))
        }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let key = JSONIndexKey(currentIndex)
        return try next(T.self) { [decoder] in try decoder.decodeValue(T.self, $0, key: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let key = JSONIndexKey(currentIndex)
        return try next(KeyedDecodingContainer<NestedKey>.self) { [decoder] in
            try decoder.child($0, key: key).container(keyedBy: NestedKey.self)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let key = JSONIndexKey(currentIndex)
        return try next((any UnkeyedDecodingContainer).self) { [decoder] in
            try decoder.child($0, key: key).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        let key = JSONIndexKey(currentIndex)
        return try next((any Decoder).self) { [decoder] in decoder.child($0, key: key) }
    }
}

/// The single-value container of ``JSONValueDecoder``: the decoder's own node.
struct JSONTreeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: JSONTreeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode(_ type: Bool.Type) throws -> Bool { try JSONTreeDecoder.decodeBool(decoder.value, path: codingPath) }
    func decode(_ type: String.Type) throws -> String {
        try JSONTreeDecoder.decodeString(decoder.value, path: codingPath)
    }
    func decode(_ type: Double.Type) throws -> Double {
        try JSONTreeDecoder.decodeDouble(decoder.value, path: codingPath)
    }
    func decode(_ type: Float.Type) throws -> Float { try JSONTreeDecoder.decodeFloat(decoder.value, path: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try integer() }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private func integer<T: FixedWidthInteger>() throws -> T {
        try JSONTreeDecoder.decodeInteger(T.self, decoder.value, path: codingPath)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return decoder.value as! T }  // T is JSONValue, so the cast cannot fail
        return try T(from: decoder)
    }
}
