import Logging

extension SystemdNotifier {
    /// Pings the systemd watchdog (`WATCHDOG=1`) every ``watchdogInterval`` while `isHealthy` says so, until the
    /// calling task is cancelled. Returns at once when there is no watchdog or no notify socket.
    ///
    /// A ping is skipped, and a warning logged, whenever `isHealthy` is false: a daemon whose I/O loops have
    /// stalled should be restarted by systemd when `WatchdogSec=` runs out, so it must not keep saying it is alive.
    /// The health check runs on the calling task, so it must be quick and non-blocking
    /// (``TGBotHTTP/HTTPServer/isResponsive(within:)`` reads one atomic per I/O thread).
    /// - Parameter isHealthy: whether the daemon's loops are making progress.
    public func runWatchdog(isHealthy: @Sendable () -> Bool) async {
        guard isEnabled, let interval = watchdogInterval else { return }
        let clock = ContinuousClock()
        var deadline = clock.now
        var wasHealthy = true
        while !Task.isCancelled {
            deadline = max(deadline + interval, clock.now)
            do { try await Task.sleep(until: deadline, clock: clock) } catch { return }
            let healthy = isHealthy()
            if healthy {
                notify(.watchdog)
            } else if wasHealthy {
                logger.warning("I/O loops unresponsive; withholding the systemd watchdog ping")
            }
            if healthy && !wasHealthy { logger.notice("I/O loops responsive again; watchdog pings resumed") }
            wasHealthy = healthy
        }
    }
}
