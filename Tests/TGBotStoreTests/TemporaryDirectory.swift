import Foundation
import TGBotTypes

/// A fresh directory under the system temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("tgbotd-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `path/name`.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Restores write permission (a test may have removed it) and deletes the tree.
    func remove() {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A minimal valid update body for `updateID`.
func makeUpdate(_ updateID: Int64) -> RawUpdate {
    RawUpdate(updateID: updateID, body: Array(#"{"update_id":\#(updateID),"message":{"text":"hi"}}"#.utf8))
}
