import TGBotTypes

/// A predicate on an update, composable with `&&`, `||` and `!`, that may also capture text (regex groups,
/// callback data) for the handler it guards.
///
/// Filters are pure values: evaluating one has no side effects and depends only on the update and the bot's
/// username, so they are tested as values and safe to share between tasks.
///
/// ```swift
/// dispatcher.message(.text && .chatType(.private) && !.command) { ctx, _ in try await ctx.reply("hi") }
/// let isAdmin: Filter = .fromUsers([42, 4242])
/// ```
///
/// Captures combine as follows: `a && b` yields the captures of `a` followed by those of `b`; `a || b` yields
/// the captures of the first operand that matches; `!a` yields none.
public struct Filter: Sendable {
    /// What a filter sees besides the update.
    public struct Input: Sendable {
        /// The update under test.
        public let update: Update
        /// This bot's username, so command filters ignore `/cmd@otherbot`.
        public let botUsername: String?
        /// The command the message's text starts with (for this bot), parsed once for every command filter.
        public let command: Command?

        /// Creates an input.
        public init(update: Update, botUsername: String? = nil) {
            self.update = update
            self.botUsername = botUsername
            self.command = update.message?.command(botUsername: botUsername)
        }

        /// Creates an input whose command the caller already parsed (``UpdateContext/command``), so it is not
        /// parsed again.
        public init(update: Update, botUsername: String?, command: Command?) {
            self.update = update
            self.botUsername = botUsername
            self.command = command
        }
    }

    private let evaluate: @Sendable (Input) -> [String]?

    /// The update kinds (`message`, `callback_query`, …) this filter can match at most, or nil when it may match
    /// any kind. Known statically from how the filter was built — ``kind(_:names:)`` sets it, `&&` intersects,
    /// `||` unites — so ``Dispatcher/handledKinds`` can derive a webhook's `allowed_updates` without running it.
    public let kindNames: Set<String>?

    /// Creates a filter from a closure that returns the captures on a match and nil otherwise.
    ///
    /// Most filters capture nothing; use ``init(_:)`` for a plain predicate.
    ///
    /// - Parameters:
    ///   - kindNames: The update kinds the closure can match at most; nil (the default) for any kind.
    ///   - evaluate: The closure.
    public init(kindNames: Set<String>? = nil, capturing evaluate: @escaping @Sendable (Input) -> [String]?) {
        self.kindNames = kindNames
        self.evaluate = evaluate
    }

    /// Creates a filter from a predicate on the update (the `custom closure` filter).
    public init(_ predicate: @escaping @Sendable (Update) -> Bool) {
        self.kindNames = nil
        self.evaluate = { predicate($0.update) ? [] : nil }
    }

    /// Creates a filter from a predicate on the update's message; non-message updates never match.
    public static func message(_ predicate: @escaping @Sendable (Message) -> Bool) -> Filter {
        Filter { update in update.message.map(predicate) ?? false }
    }

    /// The captures when the filter matches `input`, nil when it does not.
    public func captures(for input: Input) -> [String]? {
        evaluate(input)
    }

    /// Whether the filter matches `update`.
    ///
    /// - Parameter botUsername: This bot's username, needed by command filters to ignore other bots' commands.
    public func matches(_ update: Update, botUsername: String? = nil) -> Bool {
        evaluate(Input(update: update, botUsername: botUsername)) != nil
    }

    /// Matches every update.
    public static let all = Filter { _ in true }

    /// Matches no update.
    public static let none = Filter(kindNames: [], capturing: { _ in nil })

    /// Both filters match; captures of `lhs` then `rhs`. `rhs` is not evaluated when `lhs` fails.
    public static func && (lhs: Filter, rhs: Filter) -> Filter {
        Filter(
            kindNames: intersect(lhs.kindNames, rhs.kindNames),
            capturing: { input in
                guard let left = lhs.evaluate(input), let right = rhs.evaluate(input) else { return nil }
                return left + right
            })
    }

    /// Either filter matches; captures of the first that does. `rhs` is not evaluated when `lhs` matches.
    public static func || (lhs: Filter, rhs: Filter) -> Filter {
        let kinds = lhs.kindNames.flatMap { left in rhs.kindNames.map { left.union($0) } }
        return Filter(kindNames: kinds, capturing: { input in lhs.evaluate(input) ?? rhs.evaluate(input) })
    }

    /// The filter does not match; no captures. May match any kind (negating a kind restriction lifts it).
    public static prefix func ! (filter: Filter) -> Filter {
        Filter(capturing: { input in filter.evaluate(input) == nil ? [] : nil })
    }

    /// The kinds both restrictions allow; nil (any kind) is the identity.
    private static func intersect(_ lhs: Set<String>?, _ rhs: Set<String>?) -> Set<String>? {
        guard let lhs else { return rhs }
        guard let rhs else { return lhs }
        return lhs.intersection(rhs)
    }
}
