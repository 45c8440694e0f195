import Synchronization

/// A monotonically increasing count, optionally per bounded label set.
///
/// Without labels it is a single `Atomic` (lock-free); with labels, one table behind a `Mutex`, which is held
/// only for a dictionary update.
public final class Counter: MetricFamily {
    public let name: String
    public let help: String
    public var type: MetricType { .counter }
    /// The labels, in the order ``increment(_:by:)`` takes their values.
    public let labels: [MetricLabel]
    private let total = Atomic<UInt64>(0)
    private let table: Mutex<LabelledSamples<UInt64>>

    /// Creates a counter; register it with a ``MetricsRegistry`` to expose it.
    public init(name: String, help: String, labels: [MetricLabel] = []) {
        self.name = name
        self.help = help
        self.labels = labels
        self.table = Mutex(LabelledSamples(labels: labels))
    }

    /// Adds `amount` to the unlabelled counter.
    public func increment(by amount: UInt64 = 1) {
        precondition(labels.isEmpty, "\(name) has labels")
        total.add(amount, ordering: .relaxed)
    }

    /// Adds `amount` to the series of these label values (one per label, in order; bounded per label).
    ///
    /// `increment(…, by: 0)` creates the series at zero, so it is exported before its first event.
    public func increment(_ values: String..., by amount: UInt64 = 1) {
        increment(labelValues: values, by: amount)
    }

    /// Adds `amount` to the series of these label values.
    public func increment(labelValues values: [String], by amount: UInt64 = 1) {
        if labels.isEmpty { return increment(by: amount) }
        table.withLock { $0.update(values, initial: 0) { $0 += amount } }
    }

    /// The current value of the series of these label values; values outside the bound read the `other` series.
    public func value(_ values: String...) -> UInt64 {
        if labels.isEmpty { return total.load(ordering: .relaxed) }
        return table.withLock { table in table.sample(values) ?? 0 }
    }

    public func renderSamples(into text: inout String) {
        guard !labels.isEmpty else {
            text += PrometheusText.line(name, [], [], String(total.load(ordering: .relaxed)))
            return
        }
        let names = labels.map(\.name)
        for sample in table.withLock({ $0.sorted }) {
            text += PrometheusText.line(name, names, sample.labels, String(sample.value))
        }
    }
}
