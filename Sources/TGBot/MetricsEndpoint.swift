import TGBotHTTP

/// `GET /metrics`: the registry in Prometheus text exposition format 0.0.4.
///
/// Rendering reads every level at that moment; the cost is a few locks and one string of a few kilobytes, so
/// a scrape every few seconds is negligible. The deploy configurations proxy only the webhook path, so
/// `/metrics` is reachable only from the host (or whatever the operator exposes on purpose).
public struct MetricsEndpoint: Sendable {
    /// The path of the endpoint.
    public static let path = "/metrics"

    private let registry: MetricsRegistry

    /// Creates the endpoint over `registry`.
    public init(registry: MetricsRegistry) { self.registry = registry }

    /// Adds `GET /metrics` to `router`.
    public func register(on router: inout Router) {
        router.on(.get, Self.path) { [registry] _ in
            HTTPResponse(status: .ok, text: registry.render(), contentType: MetricsRegistry.contentType)
        }
    }
}
