import CSQLite

/// The state store's schema, versioned with `PRAGMA user_version`.
///
/// `migrations[i]` takes the schema from version `i` to `i + 1`. A new version appends a step and never edits
/// an old one, so every file, whatever version it was written at, reaches the same schema. Each step runs in
/// its own `BEGIN IMMEDIATE … COMMIT` together with the `user_version` bump: a crash leaves the file at one
/// version or the next, never between.
///
/// Tables:
/// - `state`: one JSON value per `(scope, name)`; `scope` is `StateScope.description` (`user:42`), `type` the
///   Swift type that wrote the value (for type-mismatch messages).
/// - `effects`: one row per committed transaction of a handler, keyed by `(update_id, seq)` (see
///   `UpdateEffectScope`), holding the transaction's JSON-encoded result (NULL for `Void` or non-`Encodable`
///   results), so a replayed update returns recorded results instead of applying its effects twice.
enum StateSchema {
    /// The migration steps, oldest first.
    static let migrations: [String] = [
        """
        CREATE TABLE state (
            scope TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            type TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (scope, name)
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE effects (
            update_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            result BLOB,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (update_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX effects_created_at ON effects (created_at);
        """,
    ]

    /// The version this build writes.
    static var latestVersion: Int64 { Int64(migrations.count) }

    /// Checks that the file is a state store (or empty), switches it to WAL with `synchronous=FULL`, and
    /// brings it to ``latestVersion``.
    ///
    /// Reading `user_version` is the first access to the file, so a file that is not a database fails here,
    /// before anything is written. A database written by a newer build, or a database that is not ours (tables
    /// but version 0), is refused untouched.
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        let version = try connection.scalarInt("PRAGMA user_version", operation: "read schema version")
        if version > latestVersion {
            throw StoreError(
                operation: "open", path: connection.path, code: nil,
                message:
                    "schema version \(version) is newer than this build supports (\(latestVersion)); "
                    + "refusing to modify it",
                refusedFile: true)
        }
        if version == 0 {
            let tables = try connection.scalarInt("SELECT count(*) FROM sqlite_master", operation: "inspect schema")
            if tables > 0 {
                throw StoreError(
                    operation: "open", path: connection.path, code: nil,
                    message: "the file is an SQLite database but not a tgbotd state store; refusing to modify it",
                    refusedFile: true)
            }
        }
        try enableWriteAheadLog(connection)
        // In WAL mode FULL syncs the WAL at every commit: a transaction that returned is on disk.
        try connection.exec("PRAGMA synchronous=FULL", operation: "set synchronous")
        for next in Int(version)..<migrations.count {
            try migrate(connection, step: next)
        }
    }

    private static func enableWriteAheadLog(_ connection: SQLiteConnection) throws(StoreError) {
        let statement = try connection.prepare("PRAGMA journal_mode=WAL", operation: "enable WAL")
        defer { statement.reset() }
        guard try statement.step(), statement.text(at: 0).lowercased() == "wal" else {
            throw StoreError(
                operation: "enable WAL", path: connection.path, code: nil,
                message: "the database refused write-ahead logging")
        }
    }

    private static func migrate(_ connection: SQLiteConnection, step: Int) throws(StoreError) {
        let operation = "migrate to schema \(step + 1)"
        try connection.exec("BEGIN IMMEDIATE", operation: operation)
        do throws(StoreError) {
            try connection.exec(migrations[step], operation: operation)
            try connection.exec("PRAGMA user_version=\(step + 1)", operation: operation)
            try connection.exec("COMMIT", operation: operation)
        } catch {
            try? connection.exec("ROLLBACK", operation: operation)
            throw error
        }
    }
}
