import CSQLite

/// The journal's schema (see ``VersionedSchema`` for how versions and migrations work).
enum JournalSchema {
    /// The migration steps, oldest first.
    static let schema = VersionedSchema(
        kind: "journal",
        migrations: [
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
        ])

    /// The version this build writes.
    static var latestVersion: Int64 { schema.latestVersion }

    /// Checks the file, brings it to ``latestVersion`` (see ``VersionedSchema/prepare(_:)``), and turns off
    /// checkpoints inside the intake writer's commits: housekeeping runs a passive one every second on the other
    /// connection, so a commit never waits for a checkpoint's fsync of the database file.
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        try schema.prepare(connection)
        try connection.exec("PRAGMA wal_autocheckpoint=0", operation: "disable auto-checkpoint")
        try limitWALSize(connection)
    }

    /// The size the WAL file is cut back to when it restarts from its beginning (bytes).
    ///
    /// Under sustained full-speed intake the housekeeping checkpoint never catches up with the writer, so the WAL
    /// only grows (tens of megabytes a second at 20,000 updates/s). It restarts once a checkpoint has copied
    /// all of it, when the load drops; without a limit the file would then keep its peak size on disk.
    static let walSizeLimit: Int64 = 16 << 20

    /// Sets ``walSizeLimit`` (`PRAGMA journal_size_limit`) on a journal connection.
    static func limitWALSize(_ connection: SQLiteConnection) throws(StoreError) {
        try connection.exec("PRAGMA journal_size_limit=\(walSizeLimit)", operation: "limit WAL size")
    }
}
