/// Decodes typed values from a ``JSONTape`` without building a tree or a `Decoder`.
///
/// Generated types conform to ``JSONTapeDecodable``: their initializer resolves its object's members to
/// fields in one pass (``object(at:keys:)``: each member key is looked up in the type's ``JSONTapeKeys``
/// table, compared as bytes, no `String`), then decodes the fields in declaration order — the order the
/// synthesized `init(from:)` uses, so the first failure is the same one.
///
/// Errors are the `DecodingError`s `JSONDecoder` gives for the same input. Nobody tracks the coding path
/// while decoding succeeds: an error starts with the path below the failing member and each enclosing
/// member or element prepends its key as the error passes through (``prefixed(_:with:)``).
///
/// Valid only inside ``JSONTape/withReader(_:)``; it borrows the tape's buffers.
struct JSONTapeReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: UnsafeBufferPointer<JSONToken>
    /// The member token of each field of the objects being decoded, a stack of one frame per object
    /// (0: absent; token 0 is the top level, never a member).
    private var slots: [Int32] = []

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<JSONToken>) {
        self.bytes = bytes
        self.tokens = tokens
        slots.reserveCapacity(160)
    }

    // MARK: Objects

    /// Resolves the members of the object at `index` to the fields named by `keys`; the last of repeated
    /// keys wins. Pair with ``release(_:)`` once the fields are read.
    ///
    /// - Throws: `typeMismatch` (`valueNotFound` for `null`) when the value is not an object.
    mutating func object(at index: Int, keys: JSONTapeKeys) throws -> JSONTapeObject {
        let token = tokens[index]
        guard token.kind == .object else { throw mismatch([String: JSONValue].self, at: index) }
        let base = slots.count
        slots.append(contentsOf: repeatElement(0, count: keys.count))
        var member = index + 1
        for _ in 0..<token.length {
            if let field = self.index(ofKey: member, in: keys) {
                slots[base + field] = Int32(truncatingIfNeeded: member + 1)
            }
            member = next(after: member + 1)
        }
        return JSONTapeObject(base: base)
    }

    /// The position in `keys` of the name held by the key token at `index` (compared as decoded bytes).
    @inline(__always)
    func index(ofKey index: Int, in keys: JSONTapeKeys) -> Int? {
        let key = tokens[index]
        if key.flags & JSONToken.hasEscapes == 0 { return keys.index(of: text(of: key)) }
        return keys.index(of: Array(string(of: key).utf8))
    }

    /// Drops the field slots of `object` (and of anything resolved after it).
    mutating func release(_ object: JSONTapeObject) {
        slots.removeLast(slots.count - object.base)
    }

    /// Whether field `field` of `object` is present (even as `null`).
    func contains(_ object: JSONTapeObject, _ field: Int) -> Bool {
        slots[object.base + field] != 0
    }

    /// The required field `field`, named `key`: `keyNotFound` when missing, `valueNotFound` when `null`.
    @inline(__always)
    mutating func decode<T: Decodable, Key: CodingKey>(_ object: JSONTapeObject, _ field: Int, _ key: Key) throws -> T {
        let member = Int(slots[object.base + field])
        guard member != 0 else {
            throw DecodingError.keyNotFound(
                key,
                .init(codingPath: [], debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\").")
            )
        }
        do {
            return try decodeValue(T.self, at: member)
        } catch {
            throw Self.prefixed(error, with: key)
        }
    }

    /// The optional field `field`, named `key`: nil when missing or `null`.
    @inline(__always)
    mutating func decodeIfPresent<T: Decodable, Key: CodingKey>(
        _ object: JSONTapeObject, _ field: Int, _ key: Key
    ) throws -> T? {
        let member = Int(slots[object.base + field])
        guard member != 0, tokens[member].kind != .null else { return nil }
        do {
            return try decodeValue(T.self, at: member)
        } catch {
            throw Self.prefixed(error, with: key)
        }
    }

    // MARK: Values

    /// Decodes the value at `index`: scalars directly, ``JSONTapeDecodable`` types through their tape
    /// initializer, any other `Decodable` through its `init(from:)` over just this subtree, materialized.
    /// In specialised code the type tests fold away, leaving the one branch that applies.
    @inline(__always)
    mutating func decodeValue<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        let token = tokens[index]
        if T.self == String.self {
            guard token.kind == .string else { throw mismatch(T.self, at: index) }
            return string(of: token) as! T  // T is String
        }
        if T.self == Int64.self { return try int64(at: index) as! T }  // T is Int64
        if T.self == Bool.self {
            switch token.kind {
            case .true: return true as! T  // T is Bool
            case .false: return false as! T  // T is Bool
            default: throw mismatch(T.self, at: index)
            }
        }
        if T.self == Double.self { return try double(at: index) as! T }  // T is Double
        if T.self == JSONValue.self { return materialize(at: index) as! T }  // T is JSONValue
        if let tapeType = T.self as? any JSONTapeDecodable.Type {
            return try tapeType.init(tape: &self, at: index) as! T  // `tapeType` is T.self
        }
        let decoder = JSONTreeDecoder(value: materialize(at: index), parent: nil, key: nil, userInfo: [:])
        return try T(from: decoder)
    }

    func int64(at index: Int) throws -> Int64 {
        let token = tokens[index]
        guard token.kind == .number else { throw mismatch(Int64.self, at: index) }
        if let integer = exactInt64(of: token) { return integer }
        return try JSONTreeDecoder.decodeInteger(Int64.self, number(of: token), path: [])
    }

    func double(at index: Int) throws -> Double {
        let token = tokens[index]
        guard token.kind == .number else { throw mismatch(Double.self, at: index) }
        switch number(of: token) {
        case .integer(let integer): return Double(integer)
        case .double(let double): return double
        default: throw mismatch(Double.self, at: index)
        }
    }

    // MARK: Errors

    /// The error for the value at `index` not being a `type`: `valueNotFound` for `null`, else `typeMismatch`.
    func mismatch(_ type: Any.Type, at index: Int) -> DecodingError {
        let token = tokens[index]
        if token.kind == .null {
            return .valueNotFound(
                type,
                .init(codingPath: [], debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(
            type,
            .init(
                codingPath: [], debugDescription: "Expected to decode \(type) but found \(token.kindName) instead."))
    }

    /// `error` with `key` put in front of its coding path (other errors unchanged).
    static func prefixed(_ error: any Error, with key: any CodingKey) -> any Error {
        guard let error = error as? DecodingError else { return error }
        func prefix(_ context: DecodingError.Context) -> DecodingError.Context {
            .init(
                codingPath: [key] + context.codingPath, debugDescription: context.debugDescription,
                underlyingError: context.underlyingError)
        }
        switch error {
        case .keyNotFound(let missing, let context): return DecodingError.keyNotFound(missing, prefix(context))
        case .typeMismatch(let type, let context): return DecodingError.typeMismatch(type, prefix(context))
        case .valueNotFound(let type, let context): return DecodingError.valueNotFound(type, prefix(context))
        case .dataCorrupted(let context): return DecodingError.dataCorrupted(prefix(context))
        @unknown default: return error
        }
    }
}

/// The field slots of one object being decoded (see ``JSONTapeReader/object(at:keys:)``).
struct JSONTapeObject {
    let base: Int
}
