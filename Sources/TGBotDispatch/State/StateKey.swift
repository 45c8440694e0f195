/// Whose data a key belongs to: the whole bot, one chat, or one user.
public enum StateScope: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Data shared by every update of the bot.
    case bot
    /// Data of one chat.
    case chat(Int64)
    /// Data of one user, across chats.
    case user(Int64)

    /// `bot`, `chat:<id>` or `user:<id>` — the form a durable store uses as a key prefix.
    public var description: String {
        switch self {
        case .bot: "bot"
        case .chat(let id): "chat:\(id)"
        case .user(let id): "user:\(id)"
        }
    }
}

/// The address of one value in a ``StateStore``: a scope and a name within it.
public struct StateKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whose data.
    public var scope: StateScope
    /// The value's name within the scope, e.g. `balance`.
    public var name: String

    /// Creates a key.
    public init(_ scope: StateScope, _ name: String) {
        self.scope = scope
        self.name = name
    }

    /// `<scope>/<name>`, e.g. `user:42/balance`.
    public var description: String { "\(scope)/\(name)" }
}

/// Why a state operation failed.
public struct StateError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case typeMismatch(key: StateKey, stored: String, requested: String)
        case unavailable(reason: String)
    }

    private let code: Code

    /// The value stored under `key` is not of the requested type.
    public static func typeMismatch(key: StateKey, stored: String, requested: String) -> StateError {
        StateError(code: .typeMismatch(key: key, stored: stored, requested: requested))
    }

    /// The store cannot serve requests (closed, I/O failure in a durable store).
    public static func unavailable(_ reason: String) -> StateError {
        StateError(code: .unavailable(reason: reason))
    }

    public var description: String {
        switch code {
        case .typeMismatch(let key, let stored, let requested):
            "state read: '\(key)' holds \(stored), not \(requested)"
        case .unavailable(let reason):
            "state store unavailable: \(reason)"
        }
    }
}
