import FoundationEssentials
import TGBotTypes

/// What `tgbotd decode` reports about one Update JSON: its kind and the update re-encoded from the typed
/// model, i.e. with only the fields this version knows — a quick way to see what a bot will actually get.
///
/// Kinds read as `message`, `callback_query`, …; a kind newer than this library as `unknown(<name>)`; a known
/// kind whose payload breaks the spec as `undecodable(<name>): <error>`. Only the last is a failure
/// (``isDecoded`` is false): unknown kinds are the forward-compatible path, not an error.
public struct UpdateDecodeReport: Sendable {
    /// The decoded update.
    public let update: Update
    /// The kind as printed: `message`, `unknown(<name>)` or `undecodable(<name>): <error>`.
    public let kindDescription: String
    /// Whether the payload decoded into its typed model (false only for `undecodable`).
    public let isDecoded: Bool
    /// The update encoded back to JSON from the typed model (sorted keys); for unknown and undecodable kinds
    /// only `update_id`.
    public let json: String

    /// Why the input is not an update at all.
    public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
        /// One line, e.g. `not an update: the object has no update_id`.
        public let description: String
    }

    /// Decodes `bytes` as one Update.
    ///
    /// - Parameters:
    ///   - bytes: The JSON text of one update.
    ///   - pretty: Whether ``json`` is indented over several lines.
    /// - Throws: ``InputError`` when the bytes are empty, not JSON, not an object, or lack an integer
    ///   `update_id`.
    public init(decoding bytes: [UInt8], pretty: Bool = true) throws(InputError) {
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard !trimmed.isEmpty else { throw InputError(description: "no input: expected one Update JSON object") }
        do {
            update = try Update(jsonBytes: bytes)
        } catch {
            throw InputError(description: "not an update: \(Self.explain(error))")
        }
        switch update.kind {
        case .unknown(let name, _):
            kindDescription = "unknown(\(name))"
            isDecoded = true
        case .undecodable(let name, _, let error):
            kindDescription = "undecodable(\(name)): \(error)"
            isDecoded = false
        default:
            kindDescription = update.kind.name
            isDecoded = true
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        do {
            json = String(decoding: try encoder.encode(update), as: UTF8.self)
        } catch {
            // The typed model always encodes; report rather than crash if that ever changes.
            throw InputError(description: "cannot re-encode the update: \(error)")
        }
    }

    private static func explain(_ error: RawUpdateError) -> String {
        switch error {
        case .malformedJSON(let offset, let reason): "invalid JSON at byte \(offset): \(reason)"
        case .notAnObject: "the JSON is not an object"
        case .missingUpdateID: "the object has no update_id"
        case .updateIDNotInteger: "update_id is not an integer"
        default: "\(error)"
        }
    }
}
