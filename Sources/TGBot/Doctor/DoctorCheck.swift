import FoundationEssentials

/// One finding of ``Doctor``: a named check, its verdict, what was seen and how to fix it.
public struct DoctorCheck: Sendable, Hashable {
    /// The verdict.
    public enum Status: String, Sendable, Hashable, Comparable {
        /// Fine.
        case pass = "PASS"
        /// Works, but worth fixing.
        case warn = "WARN"
        /// Broken: `tgbotd doctor` exits 1.
        case fail = "FAIL"

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }

        private var rank: Int {
            switch self {
            case .pass: 0
            case .warn: 1
            case .fail: 2
            }
        }
    }

    /// A short stable name: `token`, `webhook`, `webhook.url`, `round-trip`, `data-dir`, `port`, `secret`.
    public var name: String
    /// The verdict.
    public var status: Status
    /// What was seen (never a secret).
    public var summary: String
    /// What to do about a WARN or FAIL.
    public var fix: String?

    /// Creates a finding.
    public init(_ name: String, _ status: Status, _ summary: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.summary = summary
        self.fix = fix
    }
}

/// Everything ``Doctor`` found, in the order it checked.
public struct DoctorReport: Sendable, Hashable {
    /// The findings.
    public var checks: [DoctorCheck]

    /// Creates a report.
    public init(checks: [DoctorCheck]) {
        self.checks = checks
    }

    /// Whether any check failed (the exit status is 1 then).
    public var hasFailure: Bool { checks.contains { $0.status == .fail } }

    /// The findings named `name`.
    public func checks(named name: String) -> [DoctorCheck] { checks.filter { $0.name == name } }

    /// The printable report: one line per finding (`FAIL  token  token rejected: …`), its fix indented below,
    /// and a last line counting passes, warnings and failures.
    public var rendered: String {
        let width = checks.map(\.name.count).max() ?? 0
        var lines: [String] = []
        for check in checks {
            let padded = check.name + String(repeating: " ", count: width - check.name.count)
            lines.append("\(check.status.rawValue)  \(padded)  \(check.summary)")
            if let fix = check.fix, check.status != .pass {
                lines.append(String(repeating: " ", count: width + 8) + "fix: " + fix)
            }
        }
        let count = { (status: DoctorCheck.Status) in self.checks.count { $0.status == status } }
        lines.append("\(count(.pass)) passed, \(count(.warn)) warnings, \(count(.fail)) failed")
        return lines.joined(separator: "\n")
    }
}
