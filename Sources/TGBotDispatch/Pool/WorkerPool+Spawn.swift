extension WorkerPool {
    /// Starts `body` as a new task on the pool and returns its handle at once.
    ///
    /// This is the thread → async bridge (`Task(executorPreference:)`): it only enqueues the task's first
    /// job, so it never blocks, from a pool thread, a handler, or any other thread, and spawned work may
    /// spawn more work to any depth. Awaiting the handle's `value` suspends without holding a thread.
    ///
    /// The task is unstructured: the caller owns the handle and is responsible for awaiting or cancelling
    /// it (the scheduler does, for handler tasks).
    ///
    /// - Parameters:
    ///   - priority: The task's priority; nil inherits as `Task.init` does.
    ///   - body: The work. It runs on this pool, as do the nonisolated async functions it calls.
    /// - Returns: The task, whose `value` is `body`'s result.
    @discardableResult
    public func spawn<Success: Sendable>(
        priority: TaskPriority? = nil, _ body: @escaping @Sendable () async -> Success
    ) -> Task<Success, Never> {
        Task(executorPreference: self, priority: priority) { await body() }
    }

    /// Starts throwing `body` as a new task on the pool and returns its handle at once.
    ///
    /// Same as the non-throwing ``spawn(priority:_:)``; awaiting `value` rethrows `body`'s error.
    ///
    /// - Returns: The task, whose `value` is `body`'s result or error.
    @discardableResult
    public func spawn<Success: Sendable>(
        priority: TaskPriority? = nil, _ body: @escaping @Sendable () async throws -> Success
    ) -> Task<Success, any Error> {
        Task(executorPreference: self, priority: priority) { try await body() }
    }

    /// Starts `body` on the pool and forgets it: the fire-and-forget form of ``spawn(priority:_:)``.
    ///
    /// Takes only non-throwing work, so no error can be lost silently; the caller handles failures inside.
    public func execute(priority: TaskPriority? = nil, _ body: @escaping @Sendable () async -> Void) {
        Task(executorPreference: self, priority: priority) { await body() }
    }
}
