/// A bot command parsed from message text: `/start`, `/start@my_bot deep-link`, `/ban 3d spam`.
///
/// Telegram commands are `/` followed by up to 32 Latin letters, digits and underscores, optionally
/// addressed to one bot with `@username`; the rest of the text after whitespace is the arguments.
public struct Command: Sendable, Hashable {
    /// The command without the slash or the bot mention, e.g. `start`.
    public var name: String
    /// The `@username` the command was addressed to (without `@`), or nil when not addressed.
    public var botUsername: String?
    /// Everything after the command and the whitespace following it; empty when there is none.
    public var arguments: String

    /// Creates a command from parts.
    public init(name: String, botUsername: String? = nil, arguments: String = "") {
        self.name = name
        self.botUsername = botUsername
        self.arguments = arguments
    }

    /// Parses `text` if it starts with a command.
    ///
    /// - Parameters:
    ///   - text: Message text.
    ///   - botUsername: This bot's username (with or without `@`). A command addressed to another bot
    ///     (`/start@other_bot`) then parses to nil, as it is not for us. Compared case-insensitively.
    /// - Returns: nil when the text does not start with a valid command, or the command is for another bot.
    public init?(parsing text: String, botUsername: String? = nil) {
        if let parsed = Self.parseASCIIHead(text, botUsername: botUsername) {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        guard text.hasPrefix("/") else { return nil }
        let head = text.dropFirst().prefix { !$0.isWhitespace }
        let parts = head.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0]
        guard (1...32).contains(name.count), name.allSatisfy(Self.isCommandCharacter) else { return nil }
        let mention = parts.count > 1 ? String(parts[1]) : nil
        if let mention {
            guard !mention.isEmpty else { return nil }
            if let own = botUsername, mention.lowercased() != Self.strippingAt(own).lowercased() { return nil }
        }
        let rest = text.dropFirst(1 + head.count).drop { $0.isWhitespace }
        self.init(name: String(name), botUsername: mention, arguments: String(rest))
    }

    /// The common case on bytes: the command and the whitespace after it are ASCII. Handlers test every text
    /// message against each command filter, and walking `Character`s (grapheme breaking) was a visible share of
    /// a webhook's cost. Returns nil, to fall back to the `Character` walk, when a non-ASCII scalar is in the
    /// command or right after its whitespace (Unicode whitespace, combining marks), so both always agree.
    private static func parseASCIIHead(_ text: String, botUsername: String?) -> Command?? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Command?? in
            guard bytes.first == UInt8(ascii: "/") else { return .some(nil) }
            var index = 1
            var at: Int?
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if isASCIIWhitespace(byte) { break }
                if byte == UInt8(ascii: "@") && at == nil { at = index }
                index += 1
            }
            let headEnd = index
            while index < bytes.count && isASCIIWhitespace(bytes[index]) { index += 1 }
            if index > headEnd && index < bytes.count && bytes[index] >= 0x80 { return nil }
            let name = UnsafeBufferPointer(rebasing: bytes[1..<(at ?? headEnd)])
            guard (1...32).contains(name.count), name.allSatisfy(isCommandByte) else { return .some(nil) }
            var mention: String?
            if let at {
                guard at + 1 < headEnd else { return .some(nil) }
                let given = String(decoding: UnsafeBufferPointer(rebasing: bytes[(at + 1)..<headEnd]), as: UTF8.self)
                if let own = botUsername, given.lowercased() != strippingAt(own).lowercased() { return .some(nil) }
                mention = given
            }
            return Command(
                name: String(decoding: name, as: UTF8.self), botUsername: mention,
                arguments: String(decoding: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self))
        } ?? nil
    }

    /// U+0009–U+000D and U+0020: the ASCII scalars with the Unicode White_Space property.
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func isCommandByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// The arguments split on whitespace.
    public var argumentList: [String] {
        arguments.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    private static func isCommandCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }

    private static func strippingAt(_ username: String) -> Substring {
        username.hasPrefix("@") ? username.dropFirst() : Substring(username)
    }
}

extension Message {
    /// The command this message's text starts with, if any, honouring the bot's username.
    ///
    /// - Parameter botUsername: This bot's username; commands addressed to other bots are ignored.
    public func command(botUsername: String? = nil) -> Command? {
        text.flatMap { Command(parsing: $0, botUsername: botUsername) }
    }
}
