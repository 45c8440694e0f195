#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` series, read from `/proc` at scrape time (Linux; absent elsewhere).
///
/// Cheap: one small `read` per file per scrape, no sampling thread.
enum ProcessMetrics {
    /// Registers `process_resident_memory_bytes`, `process_cpu_seconds_total`, `process_open_fds` and
    /// `process_start_time_seconds` on `registry`, where `/proc` provides them.
    static func register(on registry: MetricsRegistry) {
        #if os(Linux)
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard pageSize > 0, ticksPerSecond > 0, let stat = statFields() else { return }
        registry.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.") {
            let pages = readFile("/proc/self/statm")?.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return (pages ?? 0) * pageSize
        }
        registry.gauge(
            "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.", type: .counter
        ) {
            guard let fields = statFields(), fields.count > 12 else { return 0 }
            // utime and stime are fields 14 and 15 of stat(5); the array starts at field 3.
            return ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticksPerSecond
        }
        registry.gauge("process_open_fds", help: "Number of open file descriptors.") {
            Double(openDescriptorCount())
        }
        if stat.count > 19, let startTicks = Double(stat[19]), let bootTime = bootTime() {
            let start = bootTime + startTicks / ticksPerSecond
            registry.gauge(
                "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds."
            ) { start }
        }
        #endif
    }

    /// The fields of `/proc/self/stat` from field 3 (`state`) on; the command name before them may hold spaces.
    private static func statFields() -> [Substring]? {
        guard let text = readFile("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// The boot time in seconds since the epoch (`btime` in `/proc/stat`).
    private static func bootTime() -> Double? {
        guard let text = readFile("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count))
        }
        return nil
    }

    private static func openDescriptorCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while count < 1_000_000, let entry = readdir(directory) {
            if Int(entry.pointee.d_name.0) != 46 { count += 1 }  // skip "." and ".."
        }
        return max(0, count - 1)  // the descriptor opendir itself holds
    }

    /// A small `/proc` file's contents (their size reads as 0, so read to the end, at most 64 KiB).
    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
