import Foundation

/// Makes a directory hold exactly the given generated files, touching only those whose bytes change
/// (so incremental builds stay incremental).
final class OutputWriter {
    private(set) var written = 0
    private(set) var removed = 0

    func sync(_ files: [String: String], into directory: URL) throws {
        let manager = FileManager.default
        if let enumerator = manager.enumerator(at: directory, includingPropertiesForKeys: nil) {
            let base = directory.standardizedFileURL.path + "/"
            for case let url as URL in enumerator where url.pathExtension == "swift" {
                let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
                if files[relative] == nil {
                    try manager.removeItem(at: url)
                    removed += 1
                }
            }
        }
        for (relative, text) in files.sorted(by: { $0.key < $1.key }) {
            let url = directory.appendingPathComponent(relative)
            let data = Data(text.utf8)
            if let existing = try? Data(contentsOf: url), existing == data { continue }
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
            written += 1
        }
    }
}
