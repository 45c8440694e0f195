/// A binary min-heap of values ordered by `(sequence, arrival)`: the smallest sequence first, and equal
/// sequences in arrival order. Not thread-safe; lanes keep it inside the scheduler's `Mutex`.
struct SequenceHeap<Value> {
    private struct Entry {
        var sequence: Int64
        var arrival: UInt64
        var value: Value

        func precedes(_ other: Entry) -> Bool {
            (sequence, arrival) < (other.sequence, other.arrival)
        }
    }

    private var entries: [Entry] = []
    private var arrivals: UInt64 = 0

    /// The number of values held.
    var count: Int { entries.count }

    /// Whether the heap is empty.
    var isEmpty: Bool { entries.isEmpty }

    /// Inserts `value` with `sequence`. O(log n).
    mutating func insert(_ value: Value, sequence: Int64) {
        entries.append(Entry(sequence: sequence, arrival: arrivals, value: value))
        arrivals &+= 1
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the value with the smallest sequence, or nil when empty. O(log n).
    mutating func popMin() -> (sequence: Int64, value: Value)? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let minimum = entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].precedes(entries[smallest]) { smallest = left }
            if right < entries.count, entries[right].precedes(entries[smallest]) { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return (minimum.sequence, minimum.value)
    }
}
