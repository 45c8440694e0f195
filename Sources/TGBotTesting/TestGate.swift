import Synchronization

/// Holds async work back until the test opens it, without sleeping: handlers `await gate.wait()`, the test
/// watches ``arrived`` and calls ``open()``. Safe from any thread.
public final class TestGate: Sendable {
    private struct State {
        var isOpen = false
        var arrived = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// How many callers reached ``wait()`` so far (including those already let through).
    public var arrived: Int { state.withLock { $0.arrived } }

    /// Suspends until the gate is open; returns at once if it already is.
    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { s -> Bool in
                s.arrived += 1
                if !s.isOpen { s.waiters.append(continuation) }
                return s.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    /// Opens the gate for every waiter, present and future.
    public func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.isOpen = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
