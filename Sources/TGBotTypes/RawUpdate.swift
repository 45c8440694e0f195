/// An update as it arrived on the webhook: its `update_id` and the exact JSON bytes.
///
/// Intake builds this with ``JSONScanner`` — one pass that checks the body is well-formed JSON and reads the
/// top-level integer `update_id` without decoding anything else — so a body is refused (400) before it is
/// admitted or journaled, and the typed decoding (``Update/init(raw:)``) runs only for admitted updates. The
/// bytes are kept verbatim, so a journal can store them and a handler can read fields newer than this library.
public struct RawUpdate: Sendable, Equatable {
    /// The update's unique identifier (`update_id`).
    public let updateID: Int64
    /// The JSON body exactly as received.
    public let body: [UInt8]

    /// Validates `body` and extracts its `update_id`.
    ///
    /// - Throws: ``RawUpdateError`` when the body is not JSON, not an object, or lacks an integer `update_id`.
    public init(validating body: [UInt8]) throws(RawUpdateError) {
        self.updateID = try JSONScanner.updateID(in: body)
        self.body = body
    }

    /// Wraps already-validated bytes (for replay from a journal that validated them on the way in).
    public init(updateID: Int64, body: [UInt8]) {
        self.updateID = updateID
        self.body = body
    }
}

/// Why a webhook body was refused.
public enum RawUpdateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not well-formed JSON; `offset` is the byte where scanning failed.
    case malformedJSON(offset: Int, reason: String)
    /// The JSON is valid but its top level is not an object.
    case notAnObject
    /// The object has no `update_id` member.
    case missingUpdateID
    /// `update_id` is present but not an integer that fits in 64 bits.
    case updateIDNotInteger
    /// `update_id` appears more than once, so its value is ambiguous.
    case duplicateUpdateID

    public var description: String {
        switch self {
        case .malformedJSON(let offset, let reason): "body is not valid JSON (\(reason) at byte \(offset))"
        case .notAnObject: "body is not a JSON object"
        case .missingUpdateID: "body has no update_id"
        case .updateIDNotInteger: "update_id is not an integer"
        case .duplicateUpdateID: "update_id appears more than once"
        }
    }
}
