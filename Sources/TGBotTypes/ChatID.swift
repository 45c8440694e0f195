/// A chat to address: a numeric id or a `@username` (the Bot API's `Integer or String` chat parameters).
///
/// Literals work directly: `-1001234567890` or `"@channelname"`.
public enum ChatID: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// A chat identifier. Supergroups and channels have ids like `-100…` beyond 32 bits.
    case id(Int64)
    /// A public username in the form `@channelusername`.
    case username(String)

    /// An id literal.
    public init(integerLiteral value: Int64) { self = .id(value) }
    /// A username literal.
    public init(stringLiteral value: String) { self = .username(value) }

    /// Reads a JSON integer as `.id` and a string as `.username`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let id = try? container.decode(Int64.self) {
            self = .id(id)
        } else {
            self = .username(try container.decode(String.self))
        }
    }

    /// Writes `.id` as a JSON integer and `.username` as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .id(let id): try container.encode(id)
        case .username(let username): try container.encode(username)
        }
    }
}
