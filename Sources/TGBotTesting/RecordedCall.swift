import TGBotTypes

/// One Bot API call as received by ``FakeBotAPIServer``: what the client really put on the wire.
public struct RecordedCall: Sendable {
    /// The method from the path (`sendMessage`).
    public var method: String
    /// The request's `Content-Type` (`application/json`, `multipart/form-data; boundary=…`), if any.
    public var contentType: String?
    /// The raw request body.
    public var body: [UInt8]
    /// The parameters: the JSON body for JSON calls; for multipart calls an object of the text fields, each
    /// parsed as JSON where it is JSON (`chat_id=42` → `42`, `reply_markup={…}` → an object) and a string
    /// otherwise — so assertions read the same whichever encoding the client chose. Nil when the body is
    /// neither JSON nor multipart.
    public var parameters: JSONValue?
    /// The multipart text fields exactly as sent (empty for JSON calls).
    public var fields: [String: String]
    /// The multipart file parts by part name (empty for JSON calls).
    public var files: [String: RecordedFile]

    /// Creates a record.
    public init(
        method: String, contentType: String?, body: [UInt8], parameters: JSONValue?, fields: [String: String] = [:],
        files: [String: RecordedFile] = [:]
    ) {
        self.method = method
        self.contentType = contentType
        self.body = body
        self.parameters = parameters
        self.fields = fields
        self.files = files
    }

    /// Whether the body was multipart/form-data.
    public var isMultipart: Bool { contentType?.lowercased().hasPrefix("multipart/form-data") ?? false }

    /// The parameter `name`, if present.
    public subscript(name: String) -> JSONValue? { parameters?[name] }
}

/// A file part of a multipart call.
public struct RecordedFile: Sendable, Hashable {
    /// The `filename` of its `Content-Disposition`.
    public var filename: String?
    /// Its `Content-Type`.
    public var contentType: String?
    /// Its bytes.
    public var data: [UInt8]

    /// Creates a record.
    public init(filename: String?, contentType: String?, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// What ``FakeBotAPIServer`` answers: an HTTP status and a body (normally a Bot API envelope).
public struct FakeResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The body bytes.
    public var body: [UInt8]
    /// The `Content-Type`; Telegram sends `application/json`.
    public var contentType: String

    /// A response with an arbitrary body (e.g. garbage, or a proxy's HTML error page).
    public init(status: Int, body: [UInt8], contentType: String = "application/json") {
        self.status = status
        self.body = body
        self.contentType = contentType
    }

    /// A response with a text body.
    public init(status: Int, text: String, contentType: String = "application/json") {
        self.init(status: status, body: Array(text.utf8), contentType: contentType)
    }

    /// `200 {"ok": true, "result": <result>}`.
    public static func ok(_ result: JSONValue) -> FakeResponse {
        let envelope: JSONValue = ["ok": true, "result": result]
        return FakeResponse(status: 200, body: envelope.jsonBytes)
    }

    /// A Bot API error: status `code` with `{"ok": false, "error_code": code, "description": …}` and
    /// `parameters` when `retryAfter` or `migrateToChatID` is given.
    public static func error(
        code: Int, description: String, retryAfter: Int? = nil, migrateToChatID: Int64? = nil
    ) -> FakeResponse {
        var envelope: [String: JSONValue] = [
            "ok": false, "error_code": .integer(Int64(code)), "description": .string(description),
        ]
        var parameters: [String: JSONValue] = [:]
        if let retryAfter { parameters["retry_after"] = .integer(Int64(retryAfter)) }
        if let migrateToChatID { parameters["migrate_to_chat_id"] = .integer(migrateToChatID) }
        if !parameters.isEmpty { envelope["parameters"] = .object(parameters) }
        return FakeResponse(status: code, body: JSONValue.object(envelope).jsonBytes)
    }
}
