/// A label of a metric family, with the bound on its values that keeps the series count fixed.
///
/// Prometheus keeps one time series per label combination, so a label fed from input (a chat id, a method name a
/// caller made up) would grow without limit. Each label therefore either lists its allowed values or keeps the
/// first `limit` distinct values it sees; anything else is recorded as ``overflowValue``.
public struct MetricLabel: Sendable {
    /// The value recorded in place of a value outside the bound.
    public static let overflowValue = "other"

    /// The label name.
    public var name: String
    /// When set, the only values recorded as given.
    public var allowedValues: Set<String>?
    /// At most this many distinct values are recorded as given (including allowed ones).
    public var limit: Int

    /// A label whose values are the given set; anything else is `other`.
    public static func oneOf(_ name: String, _ values: some Sequence<String>) -> MetricLabel {
        let allowed = Set(values)
        return MetricLabel(name: name, allowedValues: allowed, limit: allowed.count)
    }

    /// A label that keeps the first `limit` distinct values it sees; later new values are `other`.
    public static func firstSeen(_ name: String, limit: Int) -> MetricLabel {
        MetricLabel(name: name, allowedValues: nil, limit: max(0, limit))
    }
}

/// Label values as recorded: bounded per label, kept in a table keyed by the bounded values.
struct LabelledSamples<Value> {
    private let labels: [MetricLabel]
    private var seen: [Set<String>]
    private(set) var samples: [[String]: Value] = [:]

    init(labels: [MetricLabel]) {
        self.labels = labels
        self.seen = Array(repeating: [], count: labels.count)
    }

    /// Applies each label's bound to `values` (missing values are empty, extra ones dropped); `record` admits a
    /// new value to a first-seen label while it has room, reads never do.
    mutating func bound(_ values: [String], record: Bool = true) -> [String] {
        var key: [String] = []
        key.reserveCapacity(labels.count)
        for (index, label) in labels.enumerated() {
            let value = index < values.count ? values[index] : ""
            if let allowed = label.allowedValues, !allowed.contains(value) {
                key.append(MetricLabel.overflowValue)
            } else if seen[index].contains(value) {
                key.append(value)
            } else if record && seen[index].count < label.limit {
                seen[index].insert(value)
                key.append(value)
            } else {
                key.append(MetricLabel.overflowValue)
            }
        }
        return key
    }

    /// The sample recorded for `values`, if any, without admitting new label values.
    mutating func sample(_ values: [String]) -> Value? { samples[bound(values, record: false)] }

    /// Changes the sample of the bounded `values`, creating it with `initial` first.
    mutating func update(_ values: [String], initial: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        // Fast path, the common case: a series already recorded under exactly these values. Every value of a
        // recorded key is bounded already (admitted, allowed or `other`), so bounding it again returns it.
        if values.count == labels.count, let index = samples.index(forKey: values) {
            change(&samples.values[index])
            return
        }
        let key = bound(values)
        change(&samples[key, default: initial()])
    }

    /// The samples ordered by their label values, so output is stable from scrape to scrape.
    var sorted: [(labels: [String], value: Value)] {
        samples.map { (labels: $0.key, value: $0.value) }.sorted { $0.labels.lexicographicallyPrecedes($1.labels) }
    }
}
