/// The result of editing methods: the edited `Message`, or `true` when the message was an inline message
/// (which the bot cannot see).
public enum MessageOrTrue: Sendable, Hashable, Codable {
    /// The edited message.
    case message(Message)
    /// `true`: an inline message was edited.
    case success

    /// Reads `true` or a message object.
    ///
    /// - Throws: `DecodingError` for `false` or anything that is not a message.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            guard flag else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "expected true or a Message, got false"))
            }
            self = .success
        } else {
            self = .message(try container.decode(Message.self))
        }
    }

    /// Writes the message, or `true`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .message(let message): try container.encode(message)
        case .success: try container.encode(true)
        }
    }
}
