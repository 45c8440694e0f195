import TGBotHTTP

/// `GET /healthz` and `GET /readyz`.
///
/// - `/healthz` is liveness: 200 while the process runs and every I/O thread has completed a loop iteration
///   recently (a stuck loop fails it, so a supervisor restarts the process).
/// - `/readyz` is readiness: 200 only while updates are accepted; 503 while starting, draining, or while the
///   update pipeline is full or its journal cannot commit.
public struct HealthEndpoints: Sendable {
    private let readiness: Readiness
    private let sink: any UpdateSink
    private let isResponsive: @Sendable () -> Bool

    /// Creates the endpoints.
    public init(readiness: Readiness, sink: any UpdateSink, isResponsive: @escaping @Sendable () -> Bool) {
        self.readiness = readiness
        self.sink = sink
        self.isResponsive = isResponsive
    }

    /// Adds both routes to `router`.
    public func register(on router: inout Router) {
        router.on(.get, "/healthz") { _ in
            isResponsive()
                ? HTTPResponse(status: .ok, text: "ok\n")
                : HTTPResponse(status: .serviceUnavailable, text: "event loop stalled\n")
        }
        router.on(.get, "/readyz") { _ in
            let phase = readiness.phase
            if phase != .ready { return HTTPResponse(status: .serviceUnavailable, text: "\(phase)\n") }
            if let reason = sink.unavailableReason {
                return HTTPResponse(status: .serviceUnavailable, text: "unavailable: \(reason)\n")
            }
            if sink.isOverloaded { return HTTPResponse(status: .serviceUnavailable, text: "overloaded\n") }
            return HTTPResponse(status: .ok, text: "ready\n")
        }
    }
}
