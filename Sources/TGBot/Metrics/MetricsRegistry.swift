import Synchronization

/// The set of metric families `GET /metrics` renders, in Prometheus text exposition format 0.0.4.
///
/// Written directly rather than through swift-metrics and swift-prometheus: the daemon is one process with a
/// fixed set of series known at start, so a registry of a few `Atomic` counters and `Mutex`-guarded sample tables
/// is all it needs. It saves two dependencies (and their factory indirection, boxed handlers and global
/// bootstrap) and keeps label bounding — the one property that matters for an operator's Prometheus — under our
/// control: every label declares its allowed values or a limit, and anything beyond folds into `other`.
///
/// Families are registered at start (names unique) and rendered in registration order.
public final class MetricsRegistry: Sendable {
    /// The `Content-Type` of ``render()``'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let families = Mutex<[any MetricFamily]>([])

    /// Creates an empty registry.
    public init() {}

    /// Adds `family`; its name must not be registered yet.
    @discardableResult
    public func register<Family: MetricFamily>(_ family: Family) -> Family {
        families.withLock { families in
            precondition(!families.contains { $0.name == family.name }, "metric \(family.name) registered twice")
            families.append(family)
        }
        return family
    }

    /// Registers and returns a counter.
    public func counter(_ name: String, help: String, labels: [MetricLabel] = []) -> Counter {
        register(Counter(name: name, help: help, labels: labels))
    }

    /// Registers and returns a histogram.
    public func histogram(
        _ name: String, help: String, buckets: [Double], labels: [MetricLabel] = []
    ) -> Histogram {
        register(Histogram(name: name, help: help, buckets: buckets, labels: labels))
    }

    /// Registers a value read at scrape time (a gauge, or a counter kept elsewhere).
    @discardableResult
    public func gauge(
        _ name: String, help: String, type: MetricType = .gauge, labelNames: [String] = [],
        read: @escaping @Sendable () -> [GaugeSample]
    ) -> Gauge {
        register(Gauge(name: name, help: help, type: type, labelNames: labelNames, read: read))
    }

    /// Registers an unlabelled value read at scrape time.
    @discardableResult
    public func gauge(
        _ name: String, help: String, type: MetricType = .gauge, read: @escaping @Sendable () -> Double
    ) -> Gauge {
        gauge(name, help: help, type: type, labelNames: []) { [GaugeSample(value: read())] }
    }

    /// The names of the registered families, in order.
    public var names: [String] { families.withLock { $0.map(\.name) } }

    /// Every family in exposition format: `# HELP`, `# TYPE`, then its samples, each line ending in `\n`.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var text = ""
        text.reserveCapacity(snapshot.count * 160)
        for family in snapshot {
            text += "# HELP \(family.name) \(PrometheusText.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type.rawValue)\n"
            family.renderSamples(into: &text)
        }
        return text
    }
}

/// The Prometheus metric types this registry renders.
public enum MetricType: String, Sendable {
    case counter, gauge, histogram
}

/// One metric family: a name, its help and type, and the samples it renders.
public protocol MetricFamily: Sendable {
    /// The metric name (`tgbotd_updates_received_total`).
    var name: String { get }
    /// One line of help (escaped on output).
    var help: String { get }
    /// The type on the `# TYPE` line.
    var type: MetricType { get }
    /// Appends the sample lines (not HELP/TYPE), each ending in `\n`.
    func renderSamples(into text: inout String)
}
