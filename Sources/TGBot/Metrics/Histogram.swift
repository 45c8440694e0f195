import Synchronization

/// Observations counted into fixed buckets, with their sum and count, optionally per bounded label set.
///
/// Rendered as Prometheus expects: cumulative `_bucket{le="…"}` lines ending with `le="+Inf"`, then `_sum` and
/// `_count`.
public final class Histogram: MetricFamily {
    /// Latency buckets in seconds for work that should take milliseconds (handlers).
    public static let handlerBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// Latency buckets in seconds for a durable commit (an fsync): from 100 µs on fast storage up.
    public static let storageBuckets: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
    ]
    /// Latency buckets in seconds for calls over the network; 0.05 and 0.15 are the `doctor` advice thresholds.
    public static let networkBuckets: [Double] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    ]

    struct Sample {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    public let name: String
    public let help: String
    public var type: MetricType { .histogram }
    /// The labels, in the order ``observe(_:_:)`` takes their values.
    public let labels: [MetricLabel]
    /// The upper bounds of the buckets, ascending (`+Inf` is implied).
    public let buckets: [Double]
    private let table: Mutex<LabelledSamples<Sample>>

    /// Creates a histogram; register it with a ``MetricsRegistry`` to expose it.
    /// - Parameter buckets: upper bounds; sorted, de-duplicated, and non-finite ones dropped.
    public init(name: String, help: String, buckets: [Double], labels: [MetricLabel] = []) {
        self.name = name
        self.help = help
        self.labels = labels
        self.buckets = Array(Set(buckets.filter(\.isFinite))).sorted()
        self.table = Mutex(LabelledSamples(labels: labels))
    }

    /// Records `value` in the series of these label values (one per label, in order; bounded per label).
    public func observe(_ value: Double, _ labelValues: String...) {
        observe(value, labelValues: labelValues)
    }

    /// Records a duration, in seconds.
    public func observe(_ duration: Duration, _ labelValues: String...) {
        observe(duration.seconds, labelValues: labelValues)
    }

    /// Records `value` in the series of these label values.
    public func observe(_ value: Double, labelValues: [String]) {
        let index = buckets.firstIndex { value <= $0 } ?? buckets.count
        let bucketCount = buckets.count
        table.withLock { table in
            table.update(labelValues, initial: Sample(counts: Array(repeating: 0, count: bucketCount + 1))) {
                $0.counts[index] += 1
                $0.sum += value
                $0.count += 1
            }
        }
    }

    /// The number of observations in the series of these label values (after bounding).
    public func count(_ labelValues: String...) -> UInt64 {
        table.withLock { table in table.sample(labelValues)?.count ?? 0 }
    }

    public func renderSamples(into text: inout String) {
        let names = labels.map(\.name)
        let bucketNames = names + ["le"]
        let bounds = buckets.map(PrometheusText.format) + ["+Inf"]
        for sample in table.withLock({ $0.sorted }) {
            var cumulative: UInt64 = 0
            for (index, bound) in bounds.enumerated() {
                cumulative += sample.value.counts[index]
                text += PrometheusText.line(
                    "\(name)_bucket", bucketNames, sample.labels + [bound], String(cumulative))
            }
            text += PrometheusText.line("\(name)_sum", names, sample.labels, PrometheusText.format(sample.value.sum))
            text += PrometheusText.line("\(name)_count", names, sample.labels, String(sample.value.count))
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
