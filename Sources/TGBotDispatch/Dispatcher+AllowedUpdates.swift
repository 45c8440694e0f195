import TGBotTypes

extension Dispatcher {
    /// The update kinds (`message`, `callback_query`, …) some registered handler can match, in the Bot API's
    /// order: the `allowed_updates` to ask Telegram for, so it does not send updates nobody handles.
    ///
    /// Derived from the handlers' filters without running them (``Filter/kindNames``): `message(…)` and
    /// `command(…)` give `message`, `callbackQuery(…)` gives `callback_query`, and so on. A handler whose filter
    /// may match any kind — ``any(_:group:name:_:)``, ``on(_:group:name:_:)`` with a custom filter, or a negated
    /// kind filter — means every known kind. ``unknownKind(group:name:_:)`` and
    /// ``undecodable(group:name:_:)`` handlers add none (Telegram cannot be asked for a kind by a name this
    /// library does not know). Middleware does not count: it sees only updates that Telegram sends anyway.
    ///
    /// ```swift
    /// var dispatcher = Dispatcher()
    /// dispatcher.command("start") { ctx, _ in try await ctx.reply("hi") }
    /// dispatcher.callbackQuery(data: "buy:") { ctx, _ in try await ctx.answer() }
    /// dispatcher.handledKinds  // ["message", "callback_query"]
    /// ```
    public var handledKinds: [String] {
        var names: Set<String> = []
        for (_, handlers) in groups {
            for handler in handlers {
                guard let kinds = handler.filter.kindNames else { return Update.Kind.knownNames }
                names.formUnion(kinds)
            }
        }
        return Update.Kind.knownNames.filter { names.contains($0) }
    }

    /// Whether a handler may match every kind (so ``handledKinds`` lists all known kinds).
    public var hasCatchAllHandler: Bool {
        groups.contains { $0.handlers.contains { $0.filter.kindNames == nil } }
    }
}
