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
        // Fast path over UTF-8 bytes for the common all-ASCII command head; `Character` properties are slow, and
        // every command filter of a dispatcher parses the text. A non-ASCII byte before the first whitespace
        // takes the general path, which gives the same answers for every text.
        let utf8 = text.utf8
        guard utf8.first == UInt8(ascii: "/") else { return nil }
        let nameStart = utf8.index(after: utf8.startIndex)
        var index = nameStart
        var at: String.Index?
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x80 {
                self.init(unicodeParsing: text, botUsername: botUsername)
                return
            }
            if byte == 0x20 || (0x09...0x0D).contains(byte) { break }
            if byte == UInt8(ascii: "@"), at == nil { at = index }
            index = utf8.index(after: index)
        }
        let name = text.utf8[nameStart..<(at ?? index)]
        guard (1...32).contains(name.count), name.allSatisfy(Self.isCommandByte) else { return nil }
        var mention: String?
        if let at {
            let given = Substring(text.utf8[utf8.index(after: at)..<index])
            guard !given.isEmpty else { return nil }
            if let own = botUsername, given.lowercased() != Self.strippingAt(own).lowercased() { return nil }
            mention = String(given)
        }
        let rest = text[index...].drop { $0.isWhitespace }
        self.init(name: String(Substring(name)), botUsername: mention, arguments: String(rest))
    }

    /// The general parser, on `Character`s (whitespace and letters in the Unicode sense).
    init?(unicodeParsing text: String, botUsername: String?) {
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

    /// The arguments split on whitespace.
    public var argumentList: [String] {
        arguments.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    private static func isCommandByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F
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
