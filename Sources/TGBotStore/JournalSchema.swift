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
    }
}
