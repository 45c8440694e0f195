import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted on a fresh directory, for storage-fault tests: filling it is a real `ENOSPC`, and
/// remounting it read-only a real `EROFS`, whatever user the tests run as (root ignores permission bits, so
/// `chmod` cannot make a directory unwritable for it).
///
/// Mounting needs `CAP_SYS_ADMIN`; ``isAvailable`` tells whether this machine grants it (CI runs as root).
struct ScratchMount {
    let path: String

    /// Mounts a tmpfs of `kilobytes` on a new directory under the temporary directory.
    init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tgbotd-tmpfs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(kilobytes)k,mode=0755") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: path)
            throw MountError(reason: "mount tmpfs on \(path): \(reason)")
        }
    }

    /// Whether a tmpfs can be mounted here (tried once per process).
    static let isAvailable: Bool = {
        guard let probe = try? ScratchMount(kilobytes: 64) else { return false }
        probe.remove()
        return true
    }()

    /// Remounts read-only or read-write, keeping the contents.
    func remount(readOnly: Bool) throws {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        guard mount("tmpfs", path, "tmpfs", flags, nil) == 0 else {
            throw MountError(reason: "remount \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes a file of zeros until the file system is full; returns its path.
    func fill() -> String {
        let filler = path + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        // Bounded: the mount is small, so this ends at ENOSPC long before the bound.
        for _ in 0..<100_000 where chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        return filler
    }

    /// Unmounts and deletes the directory.
    func remove() {
        umount2(path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: path)
    }

    struct MountError: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
