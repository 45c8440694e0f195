import Synchronization

/// Names the update whose handler is running, so a durable ``StateStore`` can make that handler's transactions
/// take effect exactly once, even when the update is replayed after a crash.
///
/// The runtime binds ``current`` around each update's processing (``withScope(updateID:replay:_:)``). A durable
/// store numbers the transactions run under one scope (``nextSequence()``: 0, 1, 2, … in the order they start)
/// and records `(updateID, sequence)` with each commit. When the update is handled again after a crash, a
/// transaction whose `(updateID, sequence)` already committed is not run a second time: the store returns the
/// result it recorded. Handlers run their transactions one after another, so the numbering is the same on a
/// replay; transactions started concurrently by tasks a handler spawns are numbered in the order they start.
///
/// Sendable without `@unchecked`: immutable `let`s and an `Atomic`.
public final class UpdateEffectScope: Sendable {
    /// The update being handled.
    public let updateID: Int64
    /// Whether this run is a replay of an update journaled before a restart (effects may already be recorded).
    public let isReplay: Bool
    private let sequence = Atomic<Int>(0)

    /// Creates the scope of one run of `updateID`'s handlers.
    public init(updateID: Int64, isReplay: Bool = false) {
        self.updateID = updateID
        self.isReplay = isReplay
    }

    /// The number of the next transaction started under this scope (0 for the first).
    public func nextSequence() -> Int {
        sequence.add(1, ordering: .relaxed).oldValue
    }

    /// The scope of the update whose handler is running on this task, if any.
    @TaskLocal public static var current: UpdateEffectScope?

    /// Runs `body` with a fresh scope for `updateID` bound to ``current``.
    public static func withScope<Result: Sendable>(
        updateID: Int64, replay: Bool = false, _ body: () async throws -> Result
    ) async rethrows -> Result {
        try await $current.withValue(UpdateEffectScope(updateID: updateID, isReplay: replay), operation: body)
    }
}
