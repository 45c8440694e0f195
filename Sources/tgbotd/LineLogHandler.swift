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
/// ISO 8601 time and the level. Metadata follows as `key=value` pairs. With `--log-format json` each event is
/// one JSON object per line instead (`time`, `level`, `label`, `message`, then the metadata as string members),
/// still prefixed by `<N>` under journald. A value type, as swift-log requires.
struct LineLogHandler: LogHandler {
    /// How events are written.
    enum Format: String, Sendable, CaseIterable {
        /// `time level label: message key=value …`
        case line
        /// One JSON object per line.
        case json
    }

    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let forJournald: Bool
    private let format: Format

    init(label: String, level: Logger.Level, forJournald: Bool, format: Format = .line) {
        self.label = label
        self.logLevel = level
        self.forJournald = forJournald
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line: String
        switch format {
        case .line:
            line = forJournald ? "<\(Self.priority(event.level))>" : "\(Self.timestamp()) \(event.level) "
            line += "\(label): \(event.message)"
            for key in merged.keys.sorted() {
                line += " \(key)=\(Self.render(merged[key]!))"
            }
        case .json:
            line = forJournald ? "<\(Self.priority(event.level))>" : ""
            line += "{\"time\":\(Self.quoted(Self.timestamp())),\"level\":\(Self.quoted("\(event.level)"))"
            line += ",\"label\":\(Self.quoted(label)),\"message\":\(Self.quoted("\(event.message)"))"
            for key in merged.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
                line += ",\(Self.quoted(key)):\(Self.quoted("\(merged[key]!)"))"
            }
            line += "}"
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

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
