import TGBotTypes

/// How a bot maps an ``Update`` to its ``OrderingKey``: a pure function, configurable per bot.
///
/// - ``chat`` (the default): the chat, else the user, else ``OrderingKey/global``. A conversation sees its
///   messages, edits, callback queries and member changes in order, while different chats run in parallel.
/// - ``user``: the user, else the chat, else global. For bots whose state is per person across chats.
/// - ``unordered``: every update runs at once (the issue's `.none`; named so it cannot be confused with
///   `Optional.none`).
/// - ``custom(_:)``: any function, e.g. one lane per chat *and* topic.
///
/// Which updates carry what comes from `Update.chatID` and `Update.userID`: messages, reactions, member
/// and join-request updates, boosts and callback queries on a message have a chat; inline queries, chosen
/// inline results, shipping and pre-checkout queries, purchased paid media and managed bots have only a
/// user; polls and unknown kinds have neither.
public struct OrderingPolicy: Sendable {
    private let keyFunction: @Sendable (Update) -> OrderingKey
    /// The policy's name (`chat`, `user`, `unordered`, `custom`), for logs and configuration dumps.
    public let name: String

    private init(name: String, _ keyFunction: @escaping @Sendable (Update) -> OrderingKey) {
        self.name = name
        self.keyFunction = keyFunction
    }

    /// The key of `update` under this policy.
    public func key(for update: Update) -> OrderingKey {
        keyFunction(update)
    }

    /// Chat, else user, else global (the default).
    public static let chat = OrderingPolicy(name: "chat") { update in
        if let chat = update.chatID { return .chat(chat) }
        if let user = update.userID { return .user(user) }
        return .global
    }

    /// User, else chat, else global.
    public static let user = OrderingPolicy(name: "user") { update in
        if let user = update.userID { return .user(user) }
        if let chat = update.chatID { return .chat(chat) }
        return .global
    }

    /// No ordering: every update is ``OrderingKey/unordered``.
    public static let unordered = OrderingPolicy(name: "unordered") { _ in .unordered }

    /// The name for ``unordered`` (`.none`). Prefer `.unordered` where an `OrderingPolicy?` is
    /// expected, since there `.none` means nil.
    public static let none = unordered

    /// A policy from a function. It must be pure and cheap: it runs on the intake path for every update.
    public static func custom(_ key: @escaping @Sendable (Update) -> OrderingKey) -> OrderingPolicy {
        OrderingPolicy(name: "custom", key)
    }

    /// The built-in policy with a configuration name: `chat`, `user`, or `none`/`unordered`.
    ///
    /// - Returns: nil for any other name (the caller reports the bad flag or environment value).
    public init?(configurationName: String) {
        switch configurationName.lowercased() {
        case "chat": self = .chat
        case "user": self = .user
        case "none", "unordered": self = .unordered
        default: return nil
        }
    }
}
