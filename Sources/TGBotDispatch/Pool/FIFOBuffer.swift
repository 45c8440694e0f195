/// A growable first-in first-out buffer with amortised O(1) `append` and `popFirst`.
///
/// `Array.removeFirst()` is O(n); this keeps a read index instead and compacts the storage only when the
/// consumed prefix is at least half of it, so each element is moved at most a constant number of times.
/// Not thread-safe: owners keep it inside a `Mutex`.
struct FIFOBuffer<Element> {
    private var storage: [Element?] = []
    private var head = 0

    /// The number of elements waiting.
    var count: Int { storage.count - head }

    /// Whether no element is waiting.
    var isEmpty: Bool { head == storage.count }

    /// Adds an element at the back.
    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the element at the front, or nil when empty.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head].take()
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}
