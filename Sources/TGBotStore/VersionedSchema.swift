import CSQLite

/// A database schema versioned with `PRAGMA user_version`, shared by the journal and the state store.
///
/// `migrations[i]` takes the schema from version `i` to `i + 1`. A new version appends a step and never edits an
/// old one, so every file, whatever version it was written at, reaches the same schema. Each step runs in its own
/// `BEGIN IMMEDIATE … COMMIT` together with the `user_version` bump: a crash leaves the file at one version or
/// the next, never between.
struct VersionedSchema: Sendable {
    /// What the file is, for messages: `journal`, `state store`.
    let kind: String
    /// The migration steps, oldest first.
    let migrations: [String]

    /// The version this build writes.
    var latestVersion: Int64 { Int64(migrations.count) }

    /// Checks that the file is ours (or empty), switches it to WAL with `synchronous=FULL` (in WAL mode, FULL
    /// syncs the WAL at every commit: a transaction that returned is on disk), and brings it to
    /// ``latestVersion``.
    ///
    /// Reading `user_version` is the first access to the file, so a file that is not a database fails here,
    /// before anything is written. A database written by a newer build, or one that is not ours (tables but
    /// version 0), is refused untouched.
    func prepare(_ connection: SQLiteConnection) throws(StoreError) {
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
                    message: "the file is an SQLite database but not a tgbotd \(kind); refusing to modify it",
                    refusedFile: true)
            }
        }
        try enableWriteAheadLog(connection)
        try connection.exec("PRAGMA synchronous=FULL", operation: "set synchronous")
        for next in Int(version)..<migrations.count {
            try migrate(connection, step: next)
        }
    }

    private func enableWriteAheadLog(_ connection: SQLiteConnection) throws(StoreError) {
        let statement = try connection.prepare("PRAGMA journal_mode=WAL", operation: "enable WAL")
        defer { statement.reset() }
        guard try statement.step(), statement.text(at: 0).lowercased() == "wal" else {
            throw StoreError(
                operation: "enable WAL", path: connection.path, code: nil,
                message: "the database refused write-ahead logging")
        }
    }

    private func migrate(_ connection: SQLiteConnection, step: Int) throws(StoreError) {
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
