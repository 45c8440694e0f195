import CSQLite

/// The state store's schema (see ``VersionedSchema`` for how versions and migrations work).
///
/// Tables:
/// - `state`: one JSON value per `(scope, name)`; `scope` is `StateScope.description` (`user:42`), `type` the
///   Swift type that wrote the value (for type-mismatch messages).
/// - `effects`: one row per committed transaction of a handler, keyed by `(update_id, seq)` (see
///   `UpdateEffectScope`), holding the transaction's JSON-encoded result (NULL for `Void` or non-`Encodable`
///   results), so a replayed update returns recorded results instead of applying its effects twice.
enum StateSchema {
    /// The migration steps, oldest first.
    static let schema = VersionedSchema(
        kind: "state store",
        migrations: [
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
        ])

    /// The version this build writes.
    static var latestVersion: Int64 { schema.latestVersion }

    /// Checks the file and brings it to ``latestVersion``; see ``VersionedSchema/prepare(_:)``.
    static func prepare(_ connection: SQLiteConnection) throws(StoreError) {
        try schema.prepare(connection)
    }
}
