/// Additional interface options for a sent message: an inline keyboard, a custom reply keyboard, removal of
/// the reply keyboard, or a forced reply (the Bot API's four-way `reply_markup` parameter).
public enum ReplyMarkup: Sendable, Hashable, Codable {
    /// A keyboard attached to the message.
    case inlineKeyboard(InlineKeyboardMarkup)
    /// A custom keyboard replacing the user's keyboard.
    case replyKeyboard(ReplyKeyboardMarkup)
    /// Removes the current custom keyboard.
    case removeKeyboard(ReplyKeyboardRemove)
    /// Shows a reply interface to the user.
    case forceReply(ForceReply)

    private enum Key: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
        case keyboard
        case removeKeyboard = "remove_keyboard"
        case forceReply = "force_reply"
    }

    /// Tells the four shapes apart by their one required key.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when none of the keys is present.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if container.contains(.inlineKeyboard) {
            self = .inlineKeyboard(try InlineKeyboardMarkup(from: decoder))
        } else if container.contains(.keyboard) {
            self = .replyKeyboard(try ReplyKeyboardMarkup(from: decoder))
        } else if container.contains(.removeKeyboard) {
            self = .removeKeyboard(try ReplyKeyboardRemove(from: decoder))
        } else if container.contains(.forceReply) {
            self = .forceReply(try ForceReply(from: decoder))
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a known reply markup"))
        }
    }

    /// Writes the markup object.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .inlineKeyboard(let markup): try markup.encode(to: encoder)
        case .replyKeyboard(let markup): try markup.encode(to: encoder)
        case .removeKeyboard(let markup): try markup.encode(to: encoder)
        case .forceReply(let markup): try markup.encode(to: encoder)
        }
    }
}
