import TGBotTypes

extension Dispatcher {
    /// A handler body that also receives the typed payload of its update kind.
    public typealias PayloadBody<Payload> =
        @Sendable (_ context: UpdateContext, _ payload: Payload) async throws -> Void

    /// Registers a handler for the updates whose kind `extract` recognises and that `filter` matches; the body
    /// gets the payload `extract` returns. Every per-kind method (`message`, `callbackQuery`, `chatMember`, …) is
    /// this with a fixed extractor.
    ///
    /// - Parameters:
    ///   - extract: Returns the payload for the wanted kind, nil for every other kind.
    ///   - kinds: The kind names `extract` recognises (`["message"]`), for ``handledKinds``; nil (unknown) counts
    ///     as every kind.
    ///   - filter: Further conditions; its captures become ``UpdateContext/captures``.
    ///   - group: The handler group.
    ///   - name: The handler's name.
    ///   - body: The handler.
    public mutating func on<Payload: Sendable>(
        _ extract: @escaping @Sendable (Update.Kind) -> Payload?, kinds: Set<String>? = nil, filter: Filter = .all,
        group: Int = 0, name: String, _ body: @escaping PayloadBody<Payload>
    ) {
        on(.kind(extract, names: kinds) && filter, group: group, name: name) { context in
            // The filter guarantees the payload is there; the guard keeps a custom filter honest.
            guard let payload = extract(context.update.kind) else { return }
            try await body(context, payload)
        }
    }
}
