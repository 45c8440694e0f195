/// The lane an update is processed in: updates with equal keys run one at a time, in `update_id` order;
/// updates with different keys run concurrently.
///
/// Chat and user ids share a number space in Telegram (a private chat's id is its user's id), so the two
/// are kept apart as different cases: `.chat(42)` and `.user(42)` are different lanes.
public enum OrderingKey: Sendable, Hashable, CustomStringConvertible {
    /// Updates of one chat run in order.
    case chat(Int64)
    /// Updates caused by one user, with no chat (inline queries, payments) or under ``OrderingPolicy/user``.
    case user(Int64)
    /// One lane for everything that names neither a chat nor a user (polls, unknown kinds).
    case global
    /// No ordering: the update runs at once, concurrently with everything else.
    case unordered

    /// Whether updates with this key are sequenced at all.
    public var isOrdered: Bool { self != .unordered }

    /// `chat:<id>`, `user:<id>`, `global` or `unordered`, for log metadata.
    public var description: String {
        switch self {
        case .chat(let id): "chat:\(id)"
        case .user(let id): "user:\(id)"
        case .global: "global"
        case .unordered: "unordered"
        }
    }
}
