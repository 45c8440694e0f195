import TGBotTypes

extension Filter {
    /// Callback queries whose data starts with `prefix` (all callback queries with data when empty). Captures
    /// the data after the prefix.
    public static func callbackData(prefix: String = "") -> Filter {
        Filter(capturing: { input in
            guard case .callbackQuery(let query) = input.update.kind, let data = query.data, data.hasPrefix(prefix)
            else { return nil }
            return [String(data.dropFirst(prefix.count))]
        })
    }

    /// Callback queries whose data matches `regex`. Captures the whole match and every group.
    public static func callbackData<Output>(matching regex: Regex<Output>) -> Filter {
        let regex = SendableRegex(regex)
        return Filter(capturing: { input in
            guard case .callbackQuery(let query) = input.update.kind, let data = query.data else { return nil }
            return regex.captures(in: data)
        })
    }

    /// Inline queries whose text matches `regex`. Captures the whole match and every group.
    public static func inlineQuery<Output>(matching regex: Regex<Output>) -> Filter {
        let regex = SendableRegex(regex)
        return Filter(capturing: { input in
            guard case .inlineQuery(let query) = input.update.kind else { return nil }
            return regex.captures(in: query.query)
        })
    }

    /// Updates of the kind `extract` recognises (it returns the payload for them and nil for others).
    ///
    /// - Parameters:
    ///   - extract: Returns the payload for the wanted kind, nil for every other kind.
    ///   - names: The kind names `extract` recognises (`["message"]`), which become ``kindNames``; nil when
    ///     unknown, which counts as any kind.
    public static func kind<Payload>(
        _ extract: @escaping @Sendable (Update.Kind) -> Payload?, names: Set<String>? = nil
    ) -> Filter {
        Filter(kindNames: names, capturing: { input in extract(input.update.kind) != nil ? [] : nil })
    }
}
