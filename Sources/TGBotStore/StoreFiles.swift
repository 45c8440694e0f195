import FoundationEssentials
import Glibc

/// File operations on a store's database and its WAL companions (`-wal`, `-shm`).
public enum StoreFiles {
    /// Renames `path` and its `-wal` and `-shm` files to `<name>.corrupt-<unix seconds>[-wal|-shm]`, so a fresh
    /// database can be created while the refused one is kept for inspection. Nothing is deleted.
    ///
    /// - Returns: the new path of the database file.
    public static func moveAside(_ path: String, now: Date = Date()) throws(StoreError) -> String {
        let stamp = Int(now.timeIntervalSince1970)
        let target = "\(path).corrupt-\(stamp)"
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard rename(path + suffix, target + suffix) == 0 else {
                throw StoreError(
                    operation: "move aside", path: path + suffix, code: nil,
                    message: "cannot rename to \(target + suffix): \(String(cString: strerror(errno)))")
            }
        }
        return target
    }

    /// `name` inside `directory`: `directory/name`, without doubling a trailing `/` (the
    /// `appendingPathComponent` of `NSString`, which FoundationEssentials does not have).
    static func path(in directory: String, named name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
