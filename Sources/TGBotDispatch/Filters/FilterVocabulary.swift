import TGBotTypes

/// A chat type as the Bot API names it (`Chat.type`), open to values newer than this library.
public struct ChatType: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    /// The Bot API string: `private`, `group`, `supergroup` or `channel`.
    public var rawValue: String

    /// Wraps a Bot API chat type string.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a literal chat type string.
    public init(stringLiteral value: String) { rawValue = value }

    /// A one-to-one chat with a user.
    public static let `private`: ChatType = "private"
    /// A basic group.
    public static let group: ChatType = "group"
    /// A supergroup.
    public static let supergroup: ChatType = "supergroup"
    /// A channel.
    public static let channel: ChatType = "channel"
}

/// A message entity type (`MessageEntity.type`), open to values newer than this library.
public struct EntityType: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral {
    /// The Bot API string, e.g. `url`.
    public var rawValue: String

    /// Wraps a Bot API entity type string.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a literal entity type string.
    public init(stringLiteral value: String) { rawValue = value }

    /// `@username`.
    public static let mention: EntityType = "mention"
    /// `#hashtag`.
    public static let hashtag: EntityType = "hashtag"
    /// `/start@bot`.
    public static let botCommand: EntityType = "bot_command"
    /// `https://telegram.org`.
    public static let url: EntityType = "url"
    /// `do-not-reply@telegram.org`.
    public static let email: EntityType = "email"
    /// `+1-212-555-0123`.
    public static let phoneNumber: EntityType = "phone_number"
    /// Bold text.
    public static let bold: EntityType = "bold"
    /// Monowidth code.
    public static let code: EntityType = "code"
    /// A clickable text URL.
    public static let textLink: EntityType = "text_link"
    /// A mention of a user without a username.
    public static let textMention: EntityType = "text_mention"
}

/// The kinds of media a message can carry, for ``Filter/media(_:)``.
public enum MediaKind: String, Sendable, Hashable, CaseIterable {
    case photo, video, animation, audio, document, sticker, voice, videoNote, contact, location, venue, poll,
        dice, story, paidMedia, livePhoto

    /// Whether `message` carries this kind of media.
    public func isPresent(in message: Message) -> Bool {
        switch self {
        case .photo: message.photo != nil
        case .video: message.video != nil
        case .animation: message.animation != nil
        case .audio: message.audio != nil
        // Telegram sets `document` alongside `animation` for GIFs; a GIF counts as an animation only.
        case .document: message.document != nil && message.animation == nil
        case .sticker: message.sticker != nil
        case .voice: message.voice != nil
        case .videoNote: message.videoNote != nil
        case .contact: message.contact != nil
        // A venue message also carries its location; it counts as a venue only.
        case .location: message.location != nil && message.venue == nil
        case .venue: message.venue != nil
        case .poll: message.poll != nil
        case .dice: message.dice != nil
        case .story: message.story != nil
        case .paidMedia: message.paidMedia != nil
        case .livePhoto: message.livePhoto != nil
        }
    }
}
