import TGBotDispatch

/// The example bots tgbotd ships, by the name `tgbotd serve --bot NAME` accepts.
public enum ExampleBot: String, Sendable, CaseIterable {
    /// ``EchoBot``, the default.
    case echo
    /// ``BankBot``.
    case bank

    /// Registers this bot's handlers in `dispatcher`.
    public func install(into dispatcher: inout Dispatcher) {
        switch self {
        case .echo: EchoBot.install(into: &dispatcher)
        case .bank: BankBot.install(into: &dispatcher)
        }
    }

    /// A dispatcher configured with this bot's handlers.
    ///
    /// - Parameters:
    ///   - botUsername: The bot's username, so `/cmd@otherbot` is ignored.
    ///   - store: The shared state; defaults to a new in-memory store.
    public func makeDispatcher(botUsername: String? = nil, store: any StateStore = InMemoryStateStore()) -> Dispatcher {
        var dispatcher = Dispatcher(botUsername: botUsername, store: store)
        install(into: &dispatcher)
        return dispatcher
    }
}
