import TGBotDispatch

/// The SQL a state batch runs, over the writer connection's cached prepared statements.
///
/// Not `Sendable`: made and used only on the writer queue, inside a batch's `BEGIN IMMEDIATE … COMMIT`.
final class StateWriter {
    /// The writer connection.
    let connection: SQLiteConnection
    /// Milliseconds since 1970 at the start of the batch, stamped on every row it writes.
    let now: Int64

    init(connection: SQLiteConnection, now: Int64) {
        self.connection = connection
        self.now = now
    }

    /// The JSON text and writer type stored under `key`, or nil.
    func read(_ key: StateKey) throws(StoreError) -> (json: String, type: String)? {
        let statement = try connection.cached(
            "SELECT value, type FROM state WHERE scope = ?1 AND name = ?2", operation: "read state")
        defer { statement.reset() }
        try statement.bind(key.scope.description, at: 1)
        try statement.bind(key.name, at: 2)
        guard try statement.step() else { return nil }
        return (statement.text(at: 0), statement.text(at: 1))
    }

    /// Stores `json` (written by a value of `type`) under `key`, replacing any value.
    func write(_ json: String, type: String, for key: StateKey) throws(StoreError) {
        let statement = try connection.cached(
            """
            INSERT INTO state (scope, name, value, type, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (scope, name) DO UPDATE
            SET value = excluded.value, type = excluded.type, updated_at = excluded.updated_at
            """,
            operation: "write state")
        defer { statement.reset() }
        try statement.bind(key.scope.description, at: 1)
        try statement.bind(key.name, at: 2)
        try statement.bind(json, at: 3)
        try statement.bind(type, at: 4)
        try statement.bind(now, at: 5)
        _ = try statement.step()
    }

    /// Removes the value under `key`, if any.
    func delete(_ key: StateKey) throws(StoreError) {
        let statement = try connection.cached(
            "DELETE FROM state WHERE scope = ?1 AND name = ?2", operation: "delete state")
        defer { statement.reset() }
        try statement.bind(key.scope.description, at: 1)
        try statement.bind(key.name, at: 2)
        _ = try statement.step()
    }

    /// The recorded effect `id`: nil when it never committed, `.some(nil)` when it committed without a
    /// payload, `.some(bytes)` with its JSON-encoded result.
    func recordedEffect(_ id: EffectID) throws(StoreError) -> [UInt8]?? {
        let statement = try connection.cached(
            "SELECT result FROM effects WHERE update_id = ?1 AND seq = ?2", operation: "read recorded effect")
        defer { statement.reset() }
        try statement.bind(id.updateID, at: 1)
        try statement.bind(Int64(id.sequence), at: 2)
        guard try statement.step() else { return nil }
        return .some(statement.isNull(at: 0) ? nil : statement.bytes(at: 0))
    }

    /// Records that effect `id` committed, with its JSON-encoded result (nil for none).
    func recordEffect(_ id: EffectID, payload: [UInt8]?) throws(StoreError) {
        let statement = try connection.cached(
            "INSERT INTO effects (update_id, seq, result, created_at) VALUES (?1, ?2, ?3, ?4)",
            operation: "record effect")
        defer { statement.reset() }
        try statement.bind(id.updateID, at: 1)
        try statement.bind(Int64(id.sequence), at: 2)
        if let payload { try statement.bind(payload, at: 3) } else { try statement.bindNull(at: 3) }
        try statement.bind(now, at: 4)
        _ = try statement.step()
    }
}

/// The identity of one transaction run by a handler: its update and its number within that update's run.
struct EffectID: Sendable, Hashable {
    var updateID: Int64
    var sequence: Int
}
