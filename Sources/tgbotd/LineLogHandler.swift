import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A log handler that writes one event per line to stderr, fit for journald.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with the `<N>` syslog priority prefix that journald
/// turns into the entry's priority, and no timestamp (journald adds its own). Elsewhere a line starts with an
/// ISO 8601 time and the level. Metadata follows as `key=value` pairs. A value type, as swift-log requires.
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let forJournald: Bool

    init(label: String, level: Logger.Level, forJournald: Bool) {
        self.label = label
        self.logLevel = level
        self.forJournald = forJournald
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = forJournald ? "<\(Self.priority(event.level))>" : "\(Self.timestamp()) \(event.level) "
        line += "\(label): \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.render(merged[key]!))"
        }
        line += "\n"
        // One write(2) per event keeps lines from different threads whole.
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { raw in _ = write(2, raw.baseAddress, raw.count) }
    }

    private static func render(_ value: Logger.MetadataValue) -> String {
        let text = "\(value)"
        let needsQuotes = text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
        let escaped = text.replacingAll("\n", with: "\\n")
        return needsQuotes ? "\"\(escaped.replacingAll("\"", with: "\\\""))\"" : escaped
    }

    /// syslog priorities (RFC 5424) for swift-log levels.
    private static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(pad(parts.tm_hour)):"
            + "\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
