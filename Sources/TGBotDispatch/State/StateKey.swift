/// Whose data a key belongs to: the whole bot, one chat, one user, or one user's conversation in one chat.
public enum StateScope: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Data shared by every update of the bot.
    case bot
    /// Data of one chat.
    case chat(Int64)
    /// Data of one user, across chats.
    case user(Int64)
    /// Data of one user's conversation in one chat (the state of a multi-step dialogue), kept apart from the
    /// same user's data in other chats.
    case conversation(chat: Int64, user: Int64)

    /// `bot`, `chat:<id>`, `user:<id>` or `conversation:<chat>:<user>` — the form a durable store uses as a key
    /// prefix.
    public var description: String {
        switch self {
        case .bot: "bot"
        case .chat(let id): "chat:\(id)"
        case .user(let id): "user:\(id)"
        case .conversation(let chat, let user): "conversation:\(chat):\(user)"
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
        case notEncodable(key: StateKey, reason: String)
        case resultNotReplayable(updateID: Int64, sequence: Int, resultType: String)
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

    /// Whether this is ``unavailable(_:)``: the store failed, not the handler's logic, so running the update
    /// again later can succeed.
    public var isUnavailable: Bool {
        if case .unavailable = code { return true }
        return false
    }

    /// A durable store could not encode the value to be stored under `key`.
    public static func notEncodable(key: StateKey, reason: String) -> StateError {
        StateError(code: .notEncodable(key: key, reason: reason))
    }

    /// Transaction `sequence` of update `updateID` already committed, so a durable store returns its recorded
    /// result instead of running it again, but the result type is not `Decodable`. Transactions that may be
    /// replayed (those run by handlers, under an ``UpdateEffectScope``) should return `Codable` results.
    public static func resultNotReplayable(updateID: Int64, sequence: Int, resultType: String) -> StateError {
        StateError(code: .resultNotReplayable(updateID: updateID, sequence: sequence, resultType: resultType))
    }

    public var description: String {
        switch code {
        case .typeMismatch(let key, let stored, let requested):
            "state read: '\(key)' holds \(stored), not \(requested)"
        case .unavailable(let reason):
            "state store unavailable: \(reason)"
        case .notEncodable(let key, let reason):
            "state write: the value for '\(key)' cannot be encoded: \(reason)"
        case .resultNotReplayable(let updateID, let sequence, let resultType):
            "state transaction \(sequence) of update \(updateID) already committed, but its result type "
                + "\(resultType) is not Decodable, so the recorded result cannot be returned on replay; "
                + "make the results of transactions run by handlers Codable"
        }
    }
}
