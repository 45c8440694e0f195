import TGBotTypes

extension Filter {
    /// Messages with text (not captions).
    public static let text = Filter.message { $0.text != nil }

    /// Messages whose text equals `value` exactly.
    public static func text(_ value: String) -> Filter {
        .message { $0.text == value }
    }

    /// Messages whose text starts with `prefix`.
    public static func textPrefix(_ prefix: String) -> Filter {
        .message { $0.text?.hasPrefix(prefix) ?? false }
    }

    /// Messages with a caption (media messages).
    public static let caption = Filter.message { $0.caption != nil }

    /// Messages whose text, or caption for media, matches `regex`. Captures the whole match followed by every
    /// capture group (an unmatched optional group captures the empty string).
    ///
    /// ```swift
    /// dispatcher.message(.regex(/^pay (\d+)$/)) { ctx, _ in try await ctx.reply("paying \(ctx.captures[1])") }
    /// ```
    public static func regex<Output>(_ regex: Regex<Output>) -> Filter {
        let regex = SendableRegex(regex)
        return Filter(capturing: { input in
            guard let message = input.update.message, let text = message.text ?? message.caption else { return nil }
            return regex.captures(in: text)
        })
    }

    /// Messages whose text, or caption, matches the regular expression `pattern`; captures as
    /// ``regex(_:)-(Regex<Output>)``.
    ///
    /// The syntax is Swift `Regex`'s, which accepts the ICU/PCRE syntax `NSRegularExpression` took; like ICU, the
    /// match runs on Unicode scalars and `\b` is the simple word boundary unless
    /// ``RegexOptions/useUnicodeWordBoundaries`` is set.
    ///
    /// - Throws: The `Regex` parse error when `pattern` is invalid.
    public static func regex(_ pattern: String, options: RegexOptions = []) throws -> Filter {
        .regex(try options.compile(pattern))
    }

    /// Messages in chats of one of these types.
    public static func chatType(_ types: ChatType...) -> Filter {
        let set = Set(types)
        return .message { set.contains(ChatType(rawValue: $0.chat.type)) }
    }

    /// Messages whose text or caption has an entity of this type (`url`, `mention`, `bot_command`, …).
    public static func entity(_ type: EntityType) -> Filter {
        .message { message in
            let entities = message.text != nil ? message.entities : message.captionEntities
            return entities?.contains { $0.type == type.rawValue } ?? false
        }
    }

    /// Messages carrying one of these media kinds.
    public static func media(_ kinds: MediaKind...) -> Filter {
        .message { message in kinds.contains { $0.isPresent(in: message) } }
    }

    /// Messages carrying any media kind ``MediaKind`` knows.
    public static let anyMedia = Filter.message { message in MediaKind.allCases.contains { $0.isPresent(in: message) } }

    /// Updates caused by one of these users (any update kind with a sender, see `Update.userID`).
    public static func fromUsers(_ ids: Set<Int64>) -> Filter {
        Filter { update in update.userID.map(ids.contains) ?? false }
    }

    /// Updates that happened in one of these chats (any update kind with a chat, see `Update.chatID`).
    public static func inChats(_ ids: Set<Int64>) -> Filter {
        Filter { update in update.chatID.map(ids.contains) ?? false }
    }

    /// Messages that start with a command addressed to this bot (or to no bot in particular).
    public static let command = Filter(capturing: { input in
        input.command == nil ? nil : []
    })

    /// Messages that start with one of these commands (names without `/`, case-sensitive, as Telegram clients
    /// send them) addressed to this bot; `/cmd@otherbot` never matches. Captures the arguments.
    public static func command(_ names: String...) -> Filter {
        command(names)
    }

    /// Messages that start with one of these commands addressed to this bot; see ``command(_:)-(String...)``.
    public static func command(_ names: [String]) -> Filter {
        let names = Set(names)
        return Filter(capturing: { input in
            guard let command = input.command, names.contains(command.name)
            else { return nil }
            return [command.arguments]
        })
    }

    /// Messages forwarded from somewhere else.
    public static let forwarded = Filter.message { $0.forwardOrigin != nil }

    /// Messages that reply to another message.
    public static let reply = Filter.message { $0.replyToMessage != nil || $0.externalReply != nil }

    /// Messages sent by a bot.
    public static let fromBot = Filter.message { $0.from?.isBot ?? false }
}
