import CSQLite

/// `SQLITE_TRANSIENT`: SQLite copies bound bytes before `bind` returns (the C macro is not imported).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One prepared statement, confined to its connection's thread. Finalized on deinit.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection
    private let operation: String

    init(statement: OpaquePointer, connection: SQLiteConnection, operation: String) {
        self.statement = statement
        self.connection = connection
        self.operation = operation
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds an integer to the 1-based parameter `index`.
    func bind(_ value: Int64, at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_int64(statement, index, value))
    }

    /// Binds a copy of `bytes` as a BLOB (an empty array binds a zero-length BLOB, not NULL).
    func bind(_ bytes: [UInt8], at index: Int32) throws(StoreError) {
        let rc =
            bytes.isEmpty
            ? sqlite3_bind_zeroblob(statement, index, 0)
            : bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
        try check(rc)
    }

    /// Binds a copy of `text` as TEXT.
    func bind(_ text: String, at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_text(statement, index, text, -1, transient))
    }

    /// Binds SQL NULL.
    func bindNull(at index: Int32) throws(StoreError) {
        try check(sqlite3_bind_null(statement, index))
    }

    /// Runs one step: `true` when a row is available, `false` when the statement is done.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc, operation: operation)
        }
    }

    /// Resets the statement and clears its bindings so it can run again.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// The integer in column `index` (0-based) of the current row.
    func int64(at index: Int32) -> Int64 { sqlite3_column_int64(statement, index) }

    /// The bytes in column `index` (0-based) of the current row.
    func bytes(at index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count > 0, let base = sqlite3_column_blob(statement, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The text in column `index` (0-based) of the current row (empty for NULL).
    func text(at index: Int32) -> String {
        guard let text = sqlite3_column_text(statement, index) else { return "" }
        return String(cString: text)
    }

    /// Whether column `index` (0-based) of the current row is NULL.
    func isNull(at index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }

    private func check(_ rc: Int32) throws(StoreError) {
        guard rc == SQLITE_OK else { throw connection.error(rc, operation: operation) }
    }
}
