import CTGBotLinux
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Something registered with an ``EventLoop`` that reacts to readiness of its descriptor.
///
/// Implementations are confined to their loop's thread: ``handle(events:)`` is only ever called there.
package protocol EpollHandler: AnyObject {
    /// Called on the loop thread with the `epoll` event mask for this handler's descriptor.
    func handle(events: UInt32)
}

/// One I/O thread: an `epoll` instance, a queue of work from other threads, and a ``TaskExecutor``.
///
/// The loop is the unit of thread confinement in the server: a connection and everything it owns live on
/// exactly one loop and are touched only from its thread, so the hot path takes no locks. Other threads talk
/// to a loop by ``execute(_:)`` (a closure) or by running a task with the loop as its executor preference —
/// HTTP handlers start on their connection's loop, so a handler that does not suspend answers within the
/// same loop iteration, with no thread hop.
///
/// The loop wakes at least every ``tickInterval`` to run its tick hook (timeouts) and to record a heartbeat
/// that health checks read.
package final class EventLoop: TaskExecutor, @unchecked Sendable {
    // Sendable: `epollFD`, `wakeFD`, `index` and `tickInterval` are immutable after init. `handlers`, `tickHook`,
    // `nextTick` and `eventBuffer` are confined to the loop thread (set before the thread starts or mutated only
    // from closures it runs). `pending` is guarded by its Mutex and `heartbeat`/`threadID` are atomics.

    private enum Work {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    private struct Pending: ~Copyable {
        var work: [Work] = []
        var isSleeping = false
        var isWakePending = false
        var isStopping = false
        var hasExited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The loop's position in its group, for logs.
    package let index: Int
    /// The longest the loop sleeps before running its tick hook.
    package let tickInterval: UInt64
    private let epollFD: Int32
    private let wakeFD: Int32
    private let pending = Mutex(Pending())
    private let heartbeat = Atomic<UInt64>(0)
    private let threadID = Atomic<Int32>(0)
    private var handlers: [(any EpollHandler)?] = []
    private var tickHook: (() -> Void)?
    private var iterationEndHook: (() -> Void)?
    private var nextTick: UInt64 = 0

    /// Creates a loop; call ``start()`` to run it on its own thread.
    package init(index: Int, tickInterval: Duration = .milliseconds(250)) throws(SocketError) {
        self.index = index
        let (seconds, attoseconds) = tickInterval.components
        self.tickInterval = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        let ep = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard ep >= 0 else { throw SocketError("epoll_create1", errno: errno) }
        let ev = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard ev >= 0 else {
            Syscall.close(ep)
            throw SocketError("eventfd", errno: errno)
        }
        epollFD = ep
        wakeFD = ev
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = ev
        epoll_ctl(ep, EPOLL_CTL_ADD, ev, &event)
        heartbeat.store(Syscall.monotonicNanoseconds(), ordering: .relaxed)
    }

    deinit {
        Syscall.close(epollFD)
        Syscall.close(wakeFD)
    }

    /// The monotonic time of the loop's last iteration; a stale value means the loop is stuck.
    package var lastHeartbeat: UInt64 { heartbeat.load(ordering: .relaxed) }

    /// Whether the caller runs on this loop's thread.
    package var inLoop: Bool { threadID.load(ordering: .relaxed) == ctgbot_gettid() }

    /// Sets the closure run on the loop thread at least every ``tickInterval``. Call before ``start()``.
    package func setTickHook(_ hook: @escaping () -> Void) {
        tickHook = hook
    }

    /// Sets the closure run on the loop thread at the end of every iteration, after the I/O events and the
    /// submitted work of that iteration. Call before ``start()``.
    package func setIterationEndHook(_ hook: @escaping () -> Void) {
        iterationEndHook = hook
    }

    // MARK: Registration (loop thread only)

    /// Registers `fd` for `events`, dispatching readiness to `handler`.
    package func register(fd: Int32, events: UInt32, handler: any EpollHandler) throws(SocketError) {
        if Int(fd) >= handlers.count { handlers += Array(repeating: nil, count: Int(fd) + 64 - handlers.count) }
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw SocketError("epoll_ctl(ADD)", errno: errno)
        }
        handlers[Int(fd)] = handler
    }

    /// Changes the interest set of a registered descriptor.
    package func modify(fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Removes `fd` from the loop. Call before closing the descriptor.
    package func deregister(fd: Int32) {
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        if Int(fd) < handlers.count { handlers[Int(fd)] = nil }
    }

    // MARK: Work from other threads

    /// Runs `work` on the loop thread, after the current iteration's I/O. Work submitted after the loop
    /// stopped is dropped, since the loop-confined state it would touch is gone.
    package func execute(_ work: @escaping @Sendable () -> Void) {
        submit(.closure(work))
    }

    /// Like ``execute(_:)``, but reports whether the work was queued: false once the loop has exited.
    @discardableResult
    package func tryExecute(_ work: @escaping @Sendable () -> Void) -> Bool {
        submit(.closure(work))
    }

    /// Runs a task job on the loop thread (``TaskExecutor``). Once the loop has exited, jobs run on a global
    /// queue instead, so a task that outlives its server still completes.
    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if !submit(.job(unowned)) {
            DispatchQueue.global().async { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    @discardableResult
    private func submit(_ work: Work) -> Bool {
        let shouldWake = pending.withLock { state -> Bool? in
            if state.hasExited { return nil }
            state.work.append(work)
            if state.isSleeping && !state.isWakePending {
                state.isWakePending = true
                return true
            }
            return false
        }
        guard let shouldWake else { return false }
        if shouldWake { wake() }
        return true
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    // MARK: Running

    /// Starts the loop's thread.
    package func start() throws(SocketError) {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(
            &thread, nil,
            { argument in
                let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
                loop.run()
                return nil
            }, box)
        guard rc == 0 else {
            Unmanaged<EventLoop>.fromOpaque(box).release()
            throw SocketError("pthread_create", errno: rc)
        }
        pthread_detach(thread)
    }

    /// Asks the loop to stop after its current iteration and waits until its thread has exited.
    package func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyExited = pending.withLock { state -> Bool in
                if state.hasExited { return true }
                state.isStopping = true
                state.exitWaiters.append(continuation)
                return false
            }
            if alreadyExited { continuation.resume() } else { wake() }
        }
    }

    private func run() {
        threadID.store(ctgbot_gettid(), ordering: .relaxed)
        ctgbot_set_thread_name("tgbotd-io-\(index)")
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        nextTick = Syscall.monotonicNanoseconds() + tickInterval
        var batch: [Work] = []
        while true {
            let timeout = pending.withLock { state -> Int32 in
                if state.isStopping { return -2 }
                if !state.work.isEmpty { return 0 }
                state.isSleeping = true
                return -1
            }
            if timeout == -2 { break }
            var waitMillis: Int32 = 0
            if timeout == -1 {
                let now = Syscall.monotonicNanoseconds()
                waitMillis = now >= nextTick ? 0 : Int32((nextTick - now) / 1_000_000) + 1
            }
            let count = epoll_wait(epollFD, events, Int32(capacity), waitMillis)
            pending.withLock { state in
                state.isSleeping = false
                state.isWakePending = false
            }
            if count > 0 {
                for i in 0..<Int(count) {
                    let fd = events[i].data.fd
                    if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = Glibc.read(wakeFD, &value, 8)
                        continue
                    }
                    if Int(fd) < handlers.count, let handler = handlers[Int(fd)] {
                        handler.handle(events: events[i].events)
                    }
                }
            }
            // Run what other threads and tasks submitted; work those items submit runs in the next pass, so
            // a task that keeps rescheduling itself cannot starve I/O.
            for _ in 0..<4 {
                pending.withLock { state in swap(&batch, &state.work) }
                if batch.isEmpty { break }
                for item in batch {
                    switch item {
                    case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
                    case .closure(let work): work()
                    }
                }
                batch.removeAll(keepingCapacity: true)
            }
            let now = Syscall.monotonicNanoseconds()
            heartbeat.store(now, ordering: .relaxed)
            if now >= nextTick {
                nextTick = now + tickInterval
                tickHook?()
            }
            iterationEndHook?()
        }
        handlers.removeAll()
        tickHook = nil
        iterationEndHook = nil
        let (leftover, waiters) = pending.withLock { state in
            state.hasExited = true
            let work = state.work
            state.work = []
            let waiters = state.exitWaiters
            state.exitWaiters = []
            return (work, waiters)
        }
        for case .job(let job) in leftover {
            DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
        for waiter in waiters { waiter.resume() }
    }
}
