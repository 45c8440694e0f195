/// A value read when `/metrics` is scraped, from state another component keeps (pool stats, queue lengths).
///
/// Reading at scrape time means the hot paths do no metrics work at all for these series. A counter that another
/// component already keeps (the pool's blocked-thread reports) is exposed the same way with `type: .counter`.
public final class Gauge: MetricFamily {
    public let name: String
    public let help: String
    public let type: MetricType
    /// The label names; the callback supplies a value for each (from a fixed set in code, never from input).
    public let labelNames: [String]
    private let read: @Sendable () -> [GaugeSample]

    /// Creates the gauge; register it with a ``MetricsRegistry`` to expose it.
    public init(
        name: String, help: String, type: MetricType = .gauge, labelNames: [String] = [],
        read: @escaping @Sendable () -> [GaugeSample]
    ) {
        precondition(type != .histogram, "a callback metric is a counter or a gauge")
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.read = read
    }

    public func renderSamples(into text: inout String) {
        for sample in read() {
            text += PrometheusText.line(name, labelNames, sample.labels, PrometheusText.format(sample.value))
        }
    }
}

/// One value of a ``Gauge``: label values (one per label name, in order) and the value.
public struct GaugeSample: Sendable, Hashable {
    /// The label values.
    public var labels: [String]
    /// The value.
    public var value: Double

    /// Creates a sample.
    public init(labels: [String] = [], value: Double) {
        self.labels = labels
        self.value = value
    }
}
