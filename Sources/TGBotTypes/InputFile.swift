import FoundationEssentials

/// A file to upload with multipart/form-data (the Bot API's `InputFile`).
///
/// In JSON a file is referenced as `attach://<attachmentName>`, and the client sends the bytes as the
/// multipart part of that name. This works for top-level file parameters (`sendPhoto.photo`) and for files
/// inside other objects (`InputMediaPhoto.media`), so one mechanism covers both. Attachment names must be
/// unique within one call.
///
/// Written by hand because an upload has no JSON form; the generator skips this spec type.
public struct InputFile: Sendable, Hashable, Encodable {
    /// The multipart part name the JSON refers to with `attach://`.
    public var attachmentName: String
    /// The filename sent in the part's `Content-Disposition`.
    public var filename: String
    /// The part's `Content-Type`.
    public var contentType: String
    /// The file contents.
    public var data: Data

    /// Creates an upload.
    ///
    /// - Parameters:
    ///   - attachmentName: The part name, unique within the call; letters, digits and `_` are safe.
    ///   - filename: The name Telegram shows; defaults to the attachment name.
    ///   - contentType: Defaults to `application/octet-stream`.
    ///   - data: The bytes to send.
    public init(
        attachmentName: String, filename: String? = nil, contentType: String = "application/octet-stream",
        data: Data
    ) {
        self.attachmentName = attachmentName
        self.filename = filename ?? attachmentName
        self.contentType = contentType
        self.data = data
    }

    /// The JSON reference to this file: `attach://<attachmentName>`.
    public var attachReference: String { "attach://" + attachmentName }

    /// Writes ``attachReference``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(attachReference)
    }
}

/// A file parameter: a new upload, or a file already on Telegram's servers (`file_id`) or on the web (URL).
public enum InputFileOrString: Sendable, Hashable, Encodable {
    /// Upload these bytes (sent as a multipart part, referenced as `attach://…`).
    case upload(InputFile)
    /// A `file_id` of a file Telegram already has (recommended for re-sending).
    case fileID(String)
    /// An HTTP URL Telegram downloads the file from.
    case url(String)

    /// Writes the reference string; the upload's bytes travel separately.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .upload(let file): try container.encode(file.attachReference)
        case .fileID(let id): try container.encode(id)
        case .url(let url): try container.encode(url)
        }
    }
}
