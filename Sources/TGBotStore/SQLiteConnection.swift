import CSQLite

/// A thin owner of one `sqlite3*` handle.
///
/// Not `Sendable`: a connection is confined to the one thread (or serial queue) that owns it, like an
/// SQLite handle opened in multi-thread mode should be. Every call blocks, so callers must never use it
/// from the Swift cooperative pool; ``SQLiteExecutor`` provides the thread.
final class SQLiteConnection {
    /// The file this connection opened.
    let path: String
    private var handle: OpaquePointer?
    /// Statements compiled once and reused by ``cached(_:operation:)``; cleared by ``close()``.
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens `path` with the given `sqlite3_open_v2` flags and sets a busy timeout.
    ///
    /// `SQLITE_OPEN_NOMUTEX` is always added: the connection is thread-confined, so SQLite's own mutex
    /// would only cost time.
    init(path: String, flags: Int32, busyTimeout: Duration) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw StoreError(operation: "open", path: path, code: rc, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        setBusyTimeout(busyTimeout)
    }

    deinit { close() }

    /// Whether SQLite opened the file read-only although read-write was asked (a write-protected file).
    var isReadOnly: Bool {
        guard let handle else { return true }
        return sqlite3_db_readonly(handle, "main") == 1
    }

    /// Rows changed by the last `INSERT`, `UPDATE` or `DELETE`.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// Runs one or more SQL statements that return no rows we need.
    func exec(_ sql: String, operation: String) throws(StoreError) {
        let rc = sqlite3_exec(try requireHandle(operation), sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, operation: operation) }
    }

    /// Compiles one statement.
    func prepare(_ sql: String, operation: String) throws(StoreError) -> SQLiteStatement {
        let db = try requireHandle(operation)
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, operation: operation) }
        return SQLiteStatement(statement: statement, connection: self, operation: operation)
    }

    /// The statement for `sql`, compiled on first use and kept until ``close()``. Callers reset it after use.
    func cached(_ sql: String, operation: String) throws(StoreError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try prepare(sql, operation: operation)
        statements[sql] = statement
        return statement
    }

    /// How long SQLite itself retries a locked database before a statement fails with `SQLITE_BUSY`.
    func setBusyTimeout(_ timeout: Duration) {
        guard let handle else { return }
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    }

    /// Runs a statement returning one integer (a `PRAGMA` or `SELECT count(*)`).
    func scalarInt(_ sql: String, operation: String) throws(StoreError) -> Int64 {
        let statement = try prepare(sql, operation: operation)
        guard try statement.step() else {
            throw StoreError(operation: operation, path: path, code: nil, message: "no row from \(sql)")
        }
        return statement.int64(at: 0)
    }

    /// Closes the handle; later calls fail with a clear error. Idempotent.
    func close() {
        statements.removeAll()
        guard let handle else { return }
        sqlite3_close_v2(handle)
        self.handle = nil
    }

    /// Builds a ``StoreError`` from a result code and the connection's current message.
    func error(_ rc: Int32, operation: String) -> StoreError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        return StoreError(operation: operation, path: path, code: rc, message: message)
    }

    private func requireHandle(_ operation: String) throws(StoreError) -> OpaquePointer {
        guard let handle else {
            throw StoreError(operation: operation, path: path, code: nil, message: "the database is closed")
        }
        return handle
    }
}
