import TGBotTypes

/// The stage after webhook intake: it takes accepted updates and processes them.
///
/// Intake answers Telegram according to the result: `200` only when the sink has taken responsibility for the
/// update, `503` with `Retry-After` otherwise, so Telegram delivers it again later and nothing is lost.
public protocol UpdateSink: Sendable {
    /// Offers an update; returns once the sink has taken it (or refused it).
    func submit(_ update: RawUpdate) async -> SubmitResult
    /// Whether the sink cannot take updates right now (readiness reports 503 while true).
    var isOverloaded: Bool { get }
    /// Why the sink cannot take any update (a storage fault), or nil; readiness reports 503 while set.
    var unavailableReason: String? { get }
}

extension UpdateSink {
    /// A sink without storage is never unavailable.
    public var unavailableReason: String? { nil }
}

/// What an ``UpdateSink`` did with an update.
public enum SubmitResult: Sendable, Equatable {
    /// Taken: answer 200.
    case accepted
    /// Taken, and a handler's first reply is ready: answer 200 with this JSON body (`{"method": …}`), which
    /// Telegram performs as a Bot API call.
    case acceptedWithReply(json: [UInt8])
    /// Already seen (a redelivery): answer 200 without processing it again.
    case duplicate
    /// Full: answer 503 and ask Telegram to retry after this many seconds.
    case overloaded(retryAfterSeconds: Int)
    /// Cannot take updates (storage fault, shutting down): answer 503 with this reason.
    case unavailable(reason: String)
}
