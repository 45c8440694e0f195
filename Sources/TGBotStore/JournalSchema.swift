import CSQLite

/// The journal's schema, versioned with `PRAGMA user_version`.
///
/// `migrations[i]` takes the schema from version `i` to `i + 1`; a new version appends a step and never edits
/// an old one. Each step runs in its own transaction together with the `user_version` bump, so a crash leaves
/// the file at one version or the next, never between.
enum JournalSchema {
    /// The migration steps, oldest first.
    static let migrations: [String] = [
        """
        CREATE TABLE journal (
            update_id INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            completed_at INTEGER
        );
        CREATE INDEX journal_completed_at ON journal (completed_at) WHERE completed_at IS NOT NULL;
        """,
        // One row rewritten by `UpdateJournal.probe()`: a real write that tells whether commits work again.
        """
        CREATE TABLE heartbeat (id INTEGER PRIMARY KEY CHECK (id = 1), written_at INTEGER NOT NULL);
        """,
    ]

    /// The version this build writes.
    static var latestVersion: Int64 { Int64(migrations.count) }

    /// Checks that the file is a journal (or empty) and brings it to ``latestVersion``.
    ///
    /// Reading `user_version` is the first access to the file, so a file that is not a database fails here,
    /// before anything is written. A valid database that is not ours (tables but version 0) or that a newer
    /// build wrote is refused rather than touched.
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        let version = try connection.scalarInt("PRAGMA user_version", operation: "read schema version")
        if version > latestVersion {
            throw StoreError(
                operation: "open", path: connection.path, code: nil,
                message: "schema version \(version) is newer than this build supports (\(latestVersion))",
                refusedFile: true)
        }
        if version == 0 {
            let tables = try connection.scalarInt("SELECT count(*) FROM sqlite_master", operation: "inspect schema")
            if tables > 0 {
                throw StoreError(
                    operation: "open", path: connection.path, code: nil,
                    message: "the file is an SQLite database but not a tgbotd journal; refusing to modify it",
                    refusedFile: true)
            }
        }
        try enableWriteAheadLog(connection)
        try connection.exec("PRAGMA synchronous=FULL", operation: "set synchronous")
        // No checkpoint inside the intake writer's commits: housekeeping runs a passive one every second on the
        // other connection, so a commit never waits for a checkpoint's fsync of the database file.
        try connection.exec("PRAGMA wal_autocheckpoint=0", operation: "disable auto-checkpoint")
        for next in Int(version)..<migrations.count {
            try migrate(connection, step: next)
        }
    }

    private static func enableWriteAheadLog(_ connection: SQLiteConnection) throws(StoreError) {
        let statement = try connection.prepare("PRAGMA journal_mode=WAL", operation: "enable WAL")
        defer { statement.reset() }
        guard try statement.step(), String(decoding: statement.bytes(at: 0), as: UTF8.self).lowercased() == "wal"
        else {
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
