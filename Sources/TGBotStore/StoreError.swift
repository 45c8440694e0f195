import CSQLite

/// A failure of the on-disk store: which operation failed, on which file, and what SQLite (or the file
/// system) said.
///
/// The description names the path and the SQLite message so an operator can act on it ("attempt to write a
/// readonly database", "file is not a database"). It never contains update bodies or secrets.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the store was doing: `"open"`, `"prepare"`, `"commit"`, `"migrate"`, ...
    public let operation: String
    /// The file concerned, when there is one.
    public let path: String?
    /// The SQLite primary or extended result code, or `nil` when the failure did not come from SQLite.
    public let code: Int32?
    /// The SQLite message (`sqlite3_errmsg`) or our own explanation.
    public let message: String

    /// Whether the file itself is the problem — corrupt, not a database, not ours, or written by a newer build —
    /// so retrying cannot help and the file must not be touched without an operator's decision.
    public var isPermanent: Bool {
        isRefusedFile || primaryCode == SQLITE_CORRUPT || primaryCode == SQLITE_NOTADB
    }
    private let isRefusedFile: Bool

    /// Creates an error.
    ///
    /// - Parameter refusedFile: the file was refused as not ours or too new (see ``isPermanent``).
    public init(operation: String, path: String?, code: Int32?, message: String, refusedFile: Bool = false) {
        self.operation = operation
        self.path = path
        self.code = code
        self.message = message
        self.isRefusedFile = refusedFile
    }

    /// The SQLite primary result code (the low byte of ``code``), e.g. `SQLITE_BUSY` for every busy variant.
    public var primaryCode: Int32? { code.map { $0 & 0xFF } }

    /// A one-line explanation naming the operation, the path and the cause.
    public var description: String {
        var text = "store \(operation) failed"
        if let path { text += " for \(path)" }
        text += ": \(message)"
        if let code { text += " (sqlite code \(code))" }
        return text
    }
}
