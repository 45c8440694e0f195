import FoundationEssentials
import TGBotTypes

/// Encodes a Bot API call as `multipart/form-data` (RFC 7578), the form Telegram requires for uploads.
///
/// The parameters are first encoded to JSON exactly as for a JSON body, so both paths agree on every value;
/// then each top-level member becomes a form field:
/// - a string is sent as-is (`text=hello`, `photo=attach://photo`);
/// - numbers, booleans, objects and arrays are sent as their JSON text (`chat_id=-100123`,
///   `reply_markup={"inline_keyboard":[…]}`), which is how the Bot API reads non-string form fields;
/// - `null` members are left out (the JSON encoder already omits nil parameters).
///
/// Each ``InputFile`` of the call's `uploads` follows as a file part named by its
/// ``InputFile/attachmentName``; the parameters reference it as `attach://<name>`
/// ("Sending Files" in the Bot API documentation).
public struct MultipartFormEncoder: Sendable {
    /// The boundary between parts; must not occur in any part's content.
    public let boundary: String

    /// Creates an encoder with a random boundary (a UUID cannot realistically occur in the payload).
    public init(boundary: String = "tgbotd-" + UUID().uuidString) {
        self.boundary = boundary
    }

    /// The `Content-Type` header value for bodies from this encoder.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Failures specific to the multipart form.
    public enum EncodingError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The parameters did not encode to a JSON object.
        case parametersNotAnObject
        /// Two uploads of one call share an attachment name, so the references would be ambiguous.
        case duplicateAttachmentName(String)

        public var description: String {
            switch self {
            case .parametersNotAnObject: "the parameters do not encode to a JSON object"
            case .duplicateAttachmentName(let name): "two uploads share the attachment name \"\(name)\""
            }
        }
    }

    /// Encodes `method`'s parameters and uploads as one multipart body.
    ///
    /// - Parameter jsonParameters: The call's parameters already encoded as a JSON object.
    /// - Parameter uploads: The files to append as parts.
    /// - Returns: The body to send with ``contentType``.
    /// - Throws: ``EncodingError`` when the parameters are not an object or attachment names repeat;
    ///   `JSONParseError` when `jsonParameters` is not JSON.
    public func encode(jsonParameters: Data, uploads: [InputFile]) throws -> Data {
        guard case .object(let members) = try JSONValue(parsing: Array(jsonParameters)) else {
            throw EncodingError.parametersNotAnObject
        }
        var body = Data()
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch value {
            case .null: continue
            case .string(let string): text = string
            default: text = String(decoding: value.jsonBytes, as: UTF8.self)
            }
            appendPartHead(to: &body, disposition: "form-data; name=\"\(Self.quoted(name))\"", contentType: nil)
            body.append(Data(text.utf8))
            body.append(Data("\r\n".utf8))
        }
        var seen = Set<String>()
        for file in uploads {
            guard seen.insert(file.attachmentName).inserted else {
                throw EncodingError.duplicateAttachmentName(file.attachmentName)
            }
            let disposition =
                "form-data; name=\"\(Self.quoted(file.attachmentName))\"; filename=\"\(Self.quoted(file.filename))\""
            appendPartHead(to: &body, disposition: disposition, contentType: file.contentType)
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    private func appendPartHead(to body: inout Data, disposition: String, contentType: String?) {
        var head = "--\(boundary)\r\nContent-Disposition: \(disposition)\r\n"
        if let contentType { head += "Content-Type: \(Self.headerSafe(contentType))\r\n" }
        head += "\r\n"
        body.append(Data(head.utf8))
    }

    /// Escapes a name for a quoted-string parameter (RFC 7578 §4.2: `"` and line breaks percent-encoded).
    static func quoted(_ text: String) -> String {
        text.replacing("\"", with: "%22").replacing("\r", with: "%0D")
            .replacing("\n", with: "%0A")
    }

    /// Drops line breaks so a header value cannot start a new header.
    static func headerSafe(_ text: String) -> String {
        text.replacing("\r", with: "").replacing("\n", with: "")
    }
}
