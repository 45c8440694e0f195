import Logging
import TGBotTypes

extension Middleware {
    /// Logs each update at `level` when processing ends, with its duration and whether it failed.
    ///
    /// Never logs the update body, only `update.id` and `update.kind` (already in the context logger's metadata).
    public static func logging(level: Logger.Level = .debug) -> Middleware {
        Middleware(name: "logging") { context, next in
            let start = ContinuousClock.now
            do {
                try await next(context)
                context.logger.log(
                    level: level, "Update processed", metadata: ["duration": "\(ContinuousClock.now - start)"])
            } catch {
                context.logger.log(
                    level: level, "Update failed", metadata: ["duration": "\(ContinuousClock.now - start)"])
                throw error
            }
        }
    }

    /// Reports the time each update spends in the rest of the chain and the handlers to `record` (a metrics
    /// timer, a histogram), with whether it ended in an error.
    public static func timing(
        _ record: @escaping @Sendable (_ kind: String, _ duration: Duration, _ failed: Bool) -> Void
    ) -> Middleware {
        Middleware(name: "timing") { context, next in
            let start = ContinuousClock.now
            do {
                try await next(context)
                record(context.update.kind.name, ContinuousClock.now - start, false)
            } catch {
                record(context.update.kind.name, ContinuousClock.now - start, true)
                throw error
            }
        }
    }

    /// Lets through only updates caused by one of `userIDs`; others are dropped before any handler (they count
    /// as unhandled) and logged at debug level.
    ///
    /// Updates without a user (channel posts, polls) are dropped too, unless `allowAnonymous` is true.
    public static func allowUsers(_ userIDs: Set<Int64>, allowAnonymous: Bool = false) -> Middleware {
        Middleware(name: "auth") { context, next in
            let allowed = context.userID.map(userIDs.contains) ?? allowAnonymous
            guard allowed else {
                context.logger.debug("Update from unauthorized user dropped")
                return
            }
            try await next(context)
        }
    }
}
