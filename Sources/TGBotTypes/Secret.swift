/// A secret value — the bot token or the webhook secret — that cannot leak by accident.
///
/// Its `description` and `debugDescription` print `<redacted>`, so interpolating one into a log line, an error
/// or a metric label shows nothing. Comparison is constant-time in the secret's content (``matches(_:)``);
/// there is deliberately no `==`.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    /// Wraps `value`.
    public init(_ value: String) { bytes = Array(value.utf8) }

    /// The secret's text, for the few places that must send it (an HTTP header, the Bot API URL).
    public func reveal() -> String { String(decoding: bytes, as: UTF8.self) }

    /// Whether the secret is empty.
    public var isEmpty: Bool { bytes.isEmpty }

    /// The number of bytes, for validation messages.
    public var count: Int { bytes.count }

    /// Compares `candidate` with the secret in time that depends only on the candidate's length, never on how
    /// many leading bytes match, so the secret cannot be guessed byte by byte from response times.
    public func matches<C: Collection>(_ candidate: C) -> Bool where C.Element == UInt8 {
        var difference = UInt8(truncatingIfNeeded: candidate.count ^ bytes.count)
        difference |= candidate.count == bytes.count ? 0 : 1
        var index = 0
        for byte in candidate {
            let mine = bytes.isEmpty ? 0 : bytes[index % bytes.count]
            difference |= byte ^ mine
            index += 1
        }
        return difference == 0
    }

    /// Whether `candidate` equals the secret (constant-time, see ``matches(_:)``).
    public func matches(_ candidate: String) -> Bool { matches(Array(candidate.utf8)) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
