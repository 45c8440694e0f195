import TGBotTypes

extension Dispatcher {
    /// Registers a handler for callback queries whose data starts with `prefix` (every callback query when nil;
    /// those with data when empty). ``UpdateContext/captures``[0] is the data after the prefix.
    public mutating func callbackQuery(
        data prefix: String? = nil, filter: Filter = .all, group: Int = 0, name: String? = nil,
        _ body: @escaping PayloadBody<CallbackQuery>
    ) {
        let dataFilter = prefix.map { Filter.callbackData(prefix: $0) } ?? .all
        on(
            Self.callback, kinds: ["callback_query"], filter: dataFilter && filter, group: group,
            name: name ?? "callback_query" + (prefix.map { ":" + $0 } ?? ""), body)
    }

    /// Registers a handler for callback queries whose data matches `regex`, e.g. `/^buy:(\d+)$/`.
    /// ``UpdateContext/captures`` holds the whole match and the groups.
    ///
    /// The default `name` is `callback_query:regex` (a Swift `Regex` does not keep its pattern text); pass one
    /// to tell several such handlers apart in logs.
    public mutating func callbackQuery<Output>(
        matching regex: Regex<Output>, filter: Filter = .all, group: Int = 0, name: String? = nil,
        _ body: @escaping PayloadBody<CallbackQuery>
    ) {
        on(
            Self.callback, kinds: ["callback_query"], filter: .callbackData(matching: regex) && filter, group: group,
            name: name ?? "callback_query:regex", body)
    }

    /// Registers a handler for inline queries that `filter` matches (see ``Filter/inlineQuery(matching:)``).
    public mutating func inlineQuery(
        _ filter: Filter = .all, group: Int = 0, name: String = "inline_query",
        _ body: @escaping PayloadBody<InlineQuery>
    ) {
        on(
            { if case .inlineQuery(let q) = $0 { q } else { nil } }, kinds: ["inline_query"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for chosen inline results.
    public mutating func chosenInlineResult(
        _ filter: Filter = .all, group: Int = 0, name: String = "chosen_inline_result",
        _ body: @escaping PayloadBody<ChosenInlineResult>
    ) {
        on(
            { if case .chosenInlineResult(let r) = $0 { r } else { nil } }, kinds: ["chosen_inline_result"],
            filter: filter, group: group, name: name,
            body)
    }

    /// Registers a handler for shipping queries (flexible-price invoices).
    public mutating func shippingQuery(
        _ filter: Filter = .all, group: Int = 0, name: String = "shipping_query",
        _ body: @escaping PayloadBody<ShippingQuery>
    ) {
        on(
            { if case .shippingQuery(let q) = $0 { q } else { nil } }, kinds: ["shipping_query"], filter: filter,
            group: group, name: name, body)
    }

    /// Registers a handler for pre-checkout queries; answer them with
    /// ``UpdateContext/answerPreCheckoutQuery(ok:errorMessage:)``.
    public mutating func preCheckoutQuery(
        _ filter: Filter = .all, group: Int = 0, name: String = "pre_checkout_query",
        _ body: @escaping PayloadBody<PreCheckoutQuery>
    ) {
        on(
            { if case .preCheckoutQuery(let q) = $0 { q } else { nil } }, kinds: ["pre_checkout_query"], filter: filter,
            group: group, name: name,
            body)
    }

    /// Registers a handler for purchases of paid media.
    public mutating func purchasedPaidMedia(
        _ filter: Filter = .all, group: Int = 0, name: String = "purchased_paid_media",
        _ body: @escaping PayloadBody<PaidMediaPurchased>
    ) {
        on(
            { if case .purchasedPaidMedia(let p) = $0 { p } else { nil } }, kinds: ["purchased_paid_media"],
            filter: filter, group: group, name: name,
            body)
    }

    private static let callback: @Sendable (Update.Kind) -> CallbackQuery? = {
        if case .callbackQuery(let query) = $0 { query } else { nil }
    }
}
