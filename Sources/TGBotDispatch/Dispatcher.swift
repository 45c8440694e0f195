import Logging
import TGBotAPI
import TGBotTypes

/// Routes each update through middleware to handlers, in groups, and reports what happened.
///
/// Configure a dispatcher as a value before the bot starts, then call ``handle(_:bot:spawn:)`` for each update
/// from any number of tasks: it is `Sendable` and keeps no per-update state. It knows nothing of pools, threads,
/// sockets or JSON bytes — the runtime decides where and in which order `handle` runs (one update per chat at a
/// time on the worker pool).
///
/// ```swift
/// var dispatcher = Dispatcher(botUsername: "bank_bot")
/// dispatcher.use(.logging())
/// dispatcher.command("start") { ctx, _ in try await ctx.reply("Hello!") }
/// dispatcher.message(.text && .chatType(.private)) { ctx, message in try await ctx.reply(message.text ?? "") }
/// dispatcher.callbackQuery(matching: try NSRegularExpression(pattern: #"^buy:(\d+)$"#)) { ctx, query in … }
/// dispatcher.onError { error, ctx in ctx.logger.warning("Handler failed", metadata: ["handler": "\(error.handler)"]) }
/// let outcome = await dispatcher.handle(update, bot: client)
/// ```
///
/// Semantics:
/// - Groups run in ascending order (default group 0; use negative groups for logging or guards). Within a group
///   only the **first** handler whose filter matches runs; then processing moves on to the next group.
/// - A handler ends processing of the update by throwing ``StopPropagation``.
/// - A handler that throws anything else fails the update: later groups are skipped, the error is wrapped in
///   ``HandlerError`` and given to every error handler (or logged at error level when there is none). Nothing
///   escapes `handle`.
public struct Dispatcher: Sendable {
    /// This bot's username (without `@`): commands addressed to other bots (`/start@other_bot`) are ignored.
    public var botUsername: String?
    /// The shared state handlers reach through ``UpdateContext/store``, `userData`, `chatData` and `botData`.
    public var store: any StateStore
    /// The logger each update's context logger is derived from (`tgbotd.dispatch`).
    public var logger: Logger

    /// Handler groups in ascending group order; handlers within a group in registration order.
    private(set) var groups: [(group: Int, handlers: [Handler])] = []
    private var middleware: [Middleware] = []
    private var errorHandlers: [ErrorHandler] = []

    /// An error handler's code.
    public typealias ErrorHandler = @Sendable (_ error: HandlerError, _ context: UpdateContext) async throws -> Void

    /// Creates a dispatcher with no handlers.
    ///
    /// - Parameters:
    ///   - botUsername: This bot's username, with or without `@`.
    ///   - store: Shared state; defaults to a new ``InMemoryStateStore``.
    ///   - logger: The base logger.
    public init(
        botUsername: String? = nil, store: any StateStore = InMemoryStateStore(),
        logger: Logger = Logger(label: "tgbotd.dispatch")
    ) {
        self.botUsername = botUsername.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }
        self.store = store
        self.logger = logger
    }

    /// Registers `handler` at the end of its group.
    public mutating func add(_ handler: Handler) {
        if let index = groups.firstIndex(where: { $0.group == handler.group }) {
            groups[index].handlers.append(handler)
        } else {
            let index = groups.firstIndex { $0.group > handler.group } ?? groups.endIndex
            groups.insert((handler.group, [handler]), at: index)
        }
    }

    /// Registers a handler for every update `filter` matches — the primitive every per-kind method uses.
    ///
    /// - Parameters:
    ///   - filter: Decides whether the handler applies; its captures become ``UpdateContext/captures``.
    ///   - group: Lower groups run first; within a group the first matching handler wins.
    ///   - name: Shown in logs, ``HandlerError`` and ``UpdateOutcome``.
    ///   - body: The handler.
    public mutating func on(
        _ filter: Filter, group: Int = 0, name: String = "handler", _ body: @escaping Handler.Body
    ) {
        add(Handler(name: name, group: group, filter: filter, body: body))
    }

    /// Appends `middleware` to the chain that runs around the handlers of every update.
    public mutating func use(_ middleware: Middleware) {
        self.middleware.append(middleware)
    }

    /// Adds an error handler. Every error handler receives each failure, in registration order; one that throws
    /// is logged and does not stop the others.
    public mutating func onError(_ handler: @escaping ErrorHandler) {
        errorHandlers.append(handler)
    }

    /// The number of registered handlers.
    public var handlerCount: Int { groups.reduce(0) { $0 + $1.handlers.count } }

    /// Processes one update: middleware, then handler groups, then error handlers if something failed.
    ///
    /// Never throws and never traps on a handler's behalf; the outcome says what happened.
    ///
    /// - Parameters:
    ///   - update: The update.
    ///   - bot: The Bot API client handlers use (the runtime may pass a webhook-reply wrapper).
    ///   - spawn: How ``UpdateContext/spawn`` starts side work; the runtime passes its worker pool's.
    /// - Returns: Whether the update was handled, by which handlers, how long they took, and the failure if any.
    public func handle(
        _ update: Update, bot: any BotAPICaller, spawn: @escaping UpdateContext.Spawn = UpdateContext.defaultSpawn
    ) async -> UpdateOutcome {
        let start = ContinuousClock.now
        let context = UpdateContext(
            update: update, bot: bot, store: store, logger: logger, botUsername: botUsername, spawn: spawn)
        var runs: [UpdateOutcome.HandlerRun] = []
        var failure: HandlerError?
        do {
            try await runChain(from: 0, context: context) { context in
                try await runGroups(context: context, runs: &runs)
            }
        } catch let error as HandlerError {
            failure = error
        } catch is StopPropagation {
            // A middleware ended processing on purpose.
        } catch {
            failure = HandlerError(updateID: update.updateID, handler: "dispatcher", underlying: error)
        }
        if let failure {
            await report(failure, context: context)
        }
        let status: UpdateOutcome.Status = failure != nil ? .failed : runs.isEmpty ? .unhandled : .handled
        return UpdateOutcome(status: status, runs: runs, error: failure, duration: ContinuousClock.now - start)
    }

    /// Runs middleware `index…` around `final`, wrapping errors a middleware throws itself.
    private func runChain(
        from index: Int, context: UpdateContext, final: (UpdateContext) async throws -> Void
    ) async throws {
        guard index < middleware.count else { return try await final(context) }
        let current = middleware[index]
        do {
            try await current.body(context) { next in
                try await runChain(from: index + 1, context: next, final: final)
            }
        } catch let error as HandlerError {
            throw error
        } catch let stop as StopPropagation {
            throw stop
        } catch {
            throw HandlerError(
                updateID: context.update.updateID, handler: "middleware:\(current.name)", underlying: error)
        }
    }

    /// Runs the first matching handler of each group in order, recording each run.
    private func runGroups(context: UpdateContext, runs: inout [UpdateOutcome.HandlerRun]) async throws {
        let input = Filter.Input(update: context.update, botUsername: botUsername, command: context.command)
        for (group, handlers) in groups {
            for handler in handlers {
                guard let captures = handler.filter.captures(for: input) else { continue }
                var handlerContext = context
                handlerContext.captures = captures
                handlerContext.handlerName = handler.name
                let started = ContinuousClock.now
                do {
                    try await handler.body(handlerContext)
                    runs.append(.init(name: handler.name, group: group, duration: .now - started, failed: false))
                } catch is StopPropagation {
                    runs.append(.init(name: handler.name, group: group, duration: .now - started, failed: false))
                    return
                } catch {
                    runs.append(.init(name: handler.name, group: group, duration: .now - started, failed: true))
                    throw HandlerError(updateID: context.update.updateID, handler: handler.name, underlying: error)
                }
                break
            }
        }
    }

    /// Gives `failure` to the error handlers, or logs it when there are none.
    private func report(_ failure: HandlerError, context: UpdateContext) async {
        var logger = context.logger
        logger[metadataKey: "handler"] = "\(failure.handler)"
        guard !errorHandlers.isEmpty else {
            logger.error("Handler failed", metadata: ["error": "\(failure.underlying)"])
            return
        }
        for errorHandler in errorHandlers {
            do {
                try await errorHandler(failure, context)
            } catch {
                logger.error(
                    "Error handler failed", metadata: ["error": "\(error)", "handler.error": "\(failure.underlying)"])
            }
        }
    }
}
