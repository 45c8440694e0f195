import FoundationEssentials
import TGBotTypes

extension WebhookInfo {
    /// The lines `tgbotd webhook info` prints: url, pending updates, the last error and its age, max connections,
    /// allowed updates and the IP Telegram resolved. No secret is part of `getWebhookInfo`, so none is printed.
    ///
    /// - Parameter now: The current time, for the age of the last error.
    public func summaryLines(now: Date = Date()) -> [String] {
        var lines = ["url: \(url.isEmpty ? "(none: no webhook set)" : url)"]
        lines.append("pending_update_count: \(pendingUpdateCount)")
        if let lastErrorMessage {
            let age = lastErrorDate.map { " (\(Self.describeAge(since: $0, now: now)))" } ?? ""
            lines.append("last_error_message: \(lastErrorMessage)\(age)")
        } else {
            lines.append("last_error_message: (none)")
        }
        if let lastSynchronizationErrorDate {
            lines.append(
                "last_synchronization_error: \(Self.describeAge(since: lastSynchronizationErrorDate, now: now))")
        }
        lines.append("max_connections: \(maxConnections.map(String.init) ?? "(default)")")
        let kinds = allowedUpdates.map { $0.isEmpty ? "(default)" : $0.joined(separator: ",") } ?? "(default)"
        lines.append("allowed_updates: \(kinds)")
        lines.append("ip_address: \(ipAddress ?? "(unknown)")")
        if hasCustomCertificate { lines.append("custom_certificate: yes") }
        return lines
    }

    /// `"42s ago"`, `"3m 5s ago"`, `"2h 10m ago"`, `"3d 4h ago"` for a Unix time.
    public static func describeAge(since unixTime: Int64, now: Date = Date()) -> String {
        describeAge(seconds: max(0, Int64(now.timeIntervalSince1970) - unixTime))
    }

    /// `"42s ago"`, `"3m 5s ago"`, `"2h 10m ago"`, `"3d 4h ago"`.
    public static func describeAge(seconds: Int64) -> String {
        switch seconds {
        case ..<60: "\(seconds)s ago"
        case ..<3600: "\(seconds / 60)m \(seconds % 60)s ago"
        case ..<86400: "\(seconds / 3600)h \(seconds % 3600 / 60)m ago"
        default: "\(seconds / 86400)d \(seconds % 86400 / 3600)h ago"
        }
    }
}
