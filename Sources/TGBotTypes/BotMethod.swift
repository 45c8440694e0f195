/// One Bot API call: its parameters (encoded as the JSON body), its name and its result type.
///
/// Every method of the spec has a generated conformer named after it (`SendMessageParameters`), so a client
/// needs a single generic entry point:
///
/// ```swift
/// let sent = try await bot.call(SendMessageParameters(chatID: -1001234567890, text: "hi"))
/// ```
///
/// Parameters with value nil are omitted from the JSON. When ``uploads`` is not empty the client must send
/// multipart/form-data: each top-level parameter as a form field (objects and arrays as JSON text) and each
/// file as a part named by its ``InputFile/attachmentName``, which the parameters reference as `attach://…`.
public protocol BotMethod: Encodable, Sendable {
    /// The `result` type of a successful response.
    associatedtype Response: Decodable & Sendable
    /// The method name as it appears in the URL path (`sendMessage`).
    static var methodName: String { get }
    /// The files this call uploads; empty for JSON-only calls.
    var uploads: [InputFile] { get }
}

extension BotMethod {
    /// No uploads unless the method has file parameters.
    public var uploads: [InputFile] { [] }
}
