import FoundationEssentials

/// An incoming update: its id, what happened (``Kind``), and the raw JSON it was decoded from.
///
/// Decoding is forward compatible and loses nothing:
/// - unknown fields are ignored by the typed payload but kept in ``raw``;
/// - a kind newer than this library (Bot API 10.2's `subscription`) becomes ``Kind/unknown(name:raw:)``;
/// - a known kind whose payload breaks the spec (a required field missing, a wrong type) becomes
///   ``Kind/undecodable(name:raw:error:)``, so handlers, the error handler and metrics still see it.
///
/// Only a body that is not a JSON object, or has no integer `update_id`, is rejected.
///
/// ```swift
/// let update = try Update(jsonBytes: body)
/// if case .message(let message) = update.kind, let command = message.command(botUsername: "echo_bot") { … }
/// ```
public struct Update: Sendable, Hashable {
    /// The update's unique identifier. Identifiers increase sequentially, which lets a bot drop duplicates.
    public var updateID: Int64
    /// What happened, with its typed payload.
    public var kind: Kind
    /// The whole update as received, including fields this version does not model.
    ///
    /// An update decoded from bytes keeps just the bytes and builds this tree on each read (they were
    /// validated on the way in), so an update whose handlers never look at `raw` never pays for it. Read it
    /// once into a local when you need several members.
    public var raw: JSONValue {
        get { rawJSON.value }
        set { rawJSON = .tree(newValue) }
    }

    /// The JSON behind ``raw``.
    private var rawJSON: RawJSON

    /// Creates an update from parts (tests and fixtures; received updates come from ``init(jsonBytes:)``).
    ///
    /// - Parameter raw: Defaults to `{"update_id": updateID}`; pass the original JSON to keep unknown fields.
    public init(updateID: Int64, kind: Kind, raw: JSONValue? = nil) {
        self.updateID = updateID
        self.kind = kind
        self.rawJSON = .tree(raw ?? .object(["update_id": .integer(updateID)]))
    }

    /// An update decoded from `bytes`, which hold valid JSON.
    init(updateID: Int64, kind: Kind, validatedBytes bytes: [UInt8]) {
        self.updateID = updateID
        self.kind = kind
        self.rawJSON = .bytes(bytes)
    }

    /// Equal when the ids, the kinds and the raw JSON values are equal (key order and whitespace aside).
    public static func == (lhs: Update, rhs: Update) -> Bool {
        guard lhs.updateID == rhs.updateID, lhs.kind == rhs.kind else { return false }
        if case .bytes(let left) = lhs.rawJSON, case .bytes(let right) = rhs.rawJSON, left == right { return true }
        return lhs.raw == rhs.raw
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(updateID)
        hasher.combine(kind)
        hasher.combine(raw)
    }
}

/// The raw JSON of an ``Update``: the bytes it was decoded from, or a tree given or assigned.
private enum RawJSON: Sendable {
    case bytes([UInt8])
    case tree(JSONValue)

    var value: JSONValue {
        switch self {
        case .tree(let tree):
            return tree
        case .bytes(let bytes):
            do {
                return try JSONValue(parsing: bytes)
            } catch {
                preconditionFailure("Update bytes were validated when decoded: \(error)")
            }
        }
    }
}

extension Update: Codable {
    /// Decodes an update through any `Decoder` (e.g. the `result` array of `getUpdates`).
    ///
    /// - Throws: `DecodingError` only when the value is not an object or `update_id` is not an integer;
    ///   payload problems end up in ``Kind/undecodable(name:raw:error:)``.
    public init(from decoder: any Decoder) throws {
        let raw = try JSONValue(from: decoder)
        guard case .object(let members) = raw else {
            throw DecodingError.typeMismatch(
                Update.self, .init(codingPath: decoder.codingPath, debugDescription: "an update is not an object"))
        }
        let container = try decoder.container(keyedBy: UpdateCodingKey.self)
        updateID = try container.decode(Int64.self, forKey: UpdateCodingKey("update_id"))
        kind = Kind(decodingFrom: container, members: members)
        rawJSON = .tree(raw)
    }

    /// Writes `update_id` and the typed payload, i.e. the fields this version knows. Unknown and
    /// undecodable kinds write only `update_id`; their JSON is in ``raw``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: UpdateCodingKey.self)
        try container.encode(updateID, forKey: UpdateCodingKey("update_id"))
        try kind.encodePayload(into: &container)
    }
}

extension Update {
    /// Decodes an update from the JSON bytes of a webhook body or a journal record.
    ///
    /// The bytes are indexed once into a ``JSONTape`` (which also validates them), the typed payload is
    /// decoded from the tape, and ``raw`` keeps the bytes, building a tree only when read.
    ///
    /// - Throws: ``RawUpdateError`` when the bytes are not JSON, not an object, or lack an integer `update_id`.
    public init(jsonBytes bytes: [UInt8]) throws(RawUpdateError) {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: bytes)
        } catch {
            throw .malformedJSON(offset: error.offset, reason: error.reason)
        }
        let (updateID, kind) = try tape.withReader { (reader) throws(RawUpdateError) in
            try Kind.decode(update: &reader)
        }
        self.init(updateID: updateID, kind: kind, validatedBytes: bytes)
    }

    /// Decodes the update an intake accepted (its bytes were validated there).
    ///
    /// - Throws: ``RawUpdateError`` if the bytes do not hold a JSON object with an integer `update_id`.
    public init(raw: RawUpdate) throws(RawUpdateError) {
        try self.init(jsonBytes: raw.body)
    }

    /// The update as compact JSON of its known fields (see ``encode(to:)``).
    ///
    /// - Throws: `EncodingError` if a payload cannot be encoded (e.g. a non-finite `Double`).
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// A coding key for any JSON member name.
struct UpdateCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) { stringValue = string }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
