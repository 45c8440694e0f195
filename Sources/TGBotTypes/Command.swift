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
