#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Whole-buffer reads and writes on the standard file descriptors, the part of Foundation's `FileHandle` the
/// commands used; the daemon links FoundationEssentials only, which has no `FileHandle`.
enum StandardStreams {
    /// Writes `text` to standard error, retrying short writes and `EINTR`; other errors drop the rest (there
    /// is nowhere left to report them).
    static func writeError(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes `text` to standard output, as ``writeError(_:)`` does to standard error.
    static func writeOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Every byte of standard input up to end of file (or up to the first read error other than `EINTR`).
    static func readInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
