import Logging
import TGBotAPI
import TGBotTypes

/// Everything a handler needs about the update it is processing: the update, the bot client, who and where,
/// the parsed command, its filter's captures, scoped shared state, a logger and a way to start side work.
///
/// A context is a value made by ``Dispatcher/handle(_:bot:spawn:)`` for one update; middleware may pass a
/// modified copy to `next` (for example with more logger metadata). Reply helpers live in
/// `UpdateContext+Replies.swift`.
public struct UpdateContext: Sendable {
    /// Starts work that outlives the handler, e.g. a slow call whose result the handler does not wait for.
    ///
    /// The runtime supplies one that enqueues on its worker pool, so the work is owned, bounded and drained on
    /// shutdown. ``defaultSpawn`` (used when `handle` is called without one, e.g. in tests) starts an unowned
    /// `Task {}` — a documented thread→async bridge with no backpressure, fine for tests and demos only.
    public typealias Spawn = @Sendable (_ work: @escaping @Sendable () async -> Void) -> Void

    /// Runs `work` in a new unstructured `Task`; see ``Spawn``.
    public static let defaultSpawn: Spawn = { work in Task { await work() } }

    /// The update being processed.
    public var update: Update
    /// The Bot API client; may be a wrapper that turns the first ``TGBotAPI/BotAPICaller/send(_:)`` into the
    /// webhook reply.
    public var bot: any BotAPICaller
    /// The logger for this update, with `update.id` and `update.kind` metadata (and, in a handler, `handler`).
    ///
    /// Built when read, not per update: most updates never log, and adding metadata copies the logger's
    /// metadata dictionary. Read it once into a local when logging several lines. A logger assigned to it (for
    /// example by middleware adding metadata) is kept as given.
    public var logger: Logger {
        get {
            var logger = assignedLogger ?? Self.decorate(baseLogger, for: update)
            if let handlerName { logger[metadataKey: "handler"] = .string(handlerName) }
            return logger
        }
        set { assignedLogger = newValue }
    }
    /// The logger the context was made with, without the update's metadata.
    private var baseLogger: Logger
    /// The logger last assigned to ``logger``, metadata included.
    private var assignedLogger: Logger?
    /// The handler running with this context, set by the dispatcher; `handler` metadata of ``logger``.
    var handlerName: String?
    /// This bot's username (without `@`), when configured.
    public var botUsername: String?
    /// The command the message starts with, when it is addressed to this bot (or to no bot).
    ///
    /// Parsed once when the context is made; handler filters match against this value, so middleware that
    /// passes `next` a context with a different ``update`` should set it too.
    public var command: Command?
    /// What the matching handler's filter captured: regex groups, callback data groups, command arguments.
    /// Empty in middleware.
    public var captures: [String]
    /// The bot's shared state store, for transactions across scopes.
    public var store: any StateStore
    /// Starts work that outlives the handler; see ``Spawn``.
    public var spawn: Spawn

    /// Creates a context. The dispatcher makes one per update; tests can make their own.
    public init(
        update: Update, bot: any BotAPICaller, store: any StateStore = InMemoryStateStore(),
        logger: Logger = Logger(label: "tgbotd.dispatch"), botUsername: String? = nil,
        spawn: @escaping Spawn = UpdateContext.defaultSpawn
    ) {
        self.update = update
        self.bot = bot
        self.store = store
        self.botUsername = botUsername
        self.spawn = spawn
        self.captures = []
        self.command = update.message?.command(botUsername: botUsername)
        self.baseLogger = logger
    }

    private static func decorate(_ logger: Logger, for update: Update) -> Logger {
        var logger = logger
        logger[metadataKey: "update.id"] = .string(String(update.updateID))
        logger[metadataKey: "update.kind"] = .string(update.kind.name)
        return logger
    }

    /// The chat the update happened in (see `Update.chatID`), nil for kinds without one (inline queries, …).
    public var chatID: Int64? { update.chatID }

    /// The user who caused the update (see `Update.userID`), nil for kinds without one (channel posts, …).
    public var userID: Int64? { update.userID }

    /// The update's message, for message-like kinds; the message a callback button belongs to otherwise.
    public var message: Message? {
        if let message = update.message { return message }
        if case .callbackQuery(let query) = update.kind, case .message(let message)? = query.message {
            return message
        }
        return nil
    }

    /// Data of the current user, shared across chats; nil when the update has no user.
    public var userData: ScopedState? { userID.map { ScopedState(store: store, scope: .user($0)) } }

    /// Data of the current chat; nil when the update has no chat.
    public var chatData: ScopedState? { chatID.map { ScopedState(store: store, scope: .chat($0)) } }

    /// Data of the current user's conversation in the current chat — the state of a multi-step dialogue; nil
    /// unless the update has both a chat and a user.
    public var conversation: ScopedState? {
        guard let chatID, let userID else { return nil }
        return ScopedState(store: store, scope: .conversation(chat: chatID, user: userID))
    }

    /// Data of the bot, shared by every update.
    public var botData: ScopedState { ScopedState(store: store, scope: .bot) }
}
