import FoundationEssentials
import TGBotHTTP
import TGBotTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The local half of ``Doctor``: what the daemon needs from this machine.
///
/// - **data-dir**: the directory exists and a file can be created in it (a missing one whose parent is
///   writable is a WARN: `serve` or systemd's `StateDirectory=` creates it);
/// - **port**: `host:port` can be bound (in use is a WARN — it is fine when tgbotd itself, or systemd's
///   `tgbotd.socket`, holds it; any other bind error is a FAIL);
/// - **secret**: a webhook secret is configured and Telegram would accept it. Only its length and source are
///   reported.
struct LocalChecks {
    var configuration: DoctorConfiguration

    func run() -> [DoctorCheck] {
        var checks = [checkDataDirectory()]
        if let host = configuration.listenHost {
            checks.append(checkPort(host: host, port: configuration.listenPort))
        }
        checks.append(checkSecret())
        return checks
    }

    /// The directory holding `path`, as `NSString.deletingLastPathComponent` gives it (FoundationEssentials has
    /// no path strings): trailing slashes are ignored, `/a` gives `/`, and a bare name gives the empty string.
    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = trimmed[..<slash]
        if parent.allSatisfy({ $0 == "/" }) { return "/" }
        var result = parent
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }

    func checkDataDirectory() -> DoctorCheck {
        let path = configuration.dataDirectory
        var isDirectory = false
        let manager = FileManager.default
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let parent = Self.parentDirectory(of: path)
            let parentPath = parent.isEmpty ? "." : parent
            var parentIsDirectory = false
            if manager.fileExists(atPath: parentPath, isDirectory: &parentIsDirectory), parentIsDirectory,
                manager.isWritableFile(atPath: parentPath)
            {
                return DoctorCheck(
                    "data-dir", .warn, "\(path) does not exist yet",
                    fix: "mkdir -p \(path) (under systemd, StateDirectory=tgbotd creates /var/lib/tgbotd)")
            }
            return DoctorCheck(
                "data-dir", .fail, "\(path) does not exist and \(parentPath) is not writable",
                fix: "create it for the service user, or use --data-dir / $STATE_DIRECTORY")
        }
        guard isDirectory else {
            return DoctorCheck("data-dir", .fail, "\(path) is not a directory", fix: "point --data-dir at a directory")
        }
        // Creating a file is the real test: permissions, read-only mounts (ProtectSystem=) and full disks show.
        // The name is unique per call, not per process: two checks at once (tests, or two operators running
        // `tgbotd doctor`) must not collide on O_EXCL and report a writable directory as unwritable.
        let directory = path.hasSuffix("/") ? path : path + "/"
        var probe = ""
        var descriptor: Int32 = -1
        for _ in 0..<8 {
            probe = directory + ".tgbotd-doctor-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            return DoctorCheck(
                "data-dir", .fail, "\(path) is not writable: \(reason)",
                fix: "chown it to the service user, or use StateDirectory=tgbotd under systemd")
        }
        close(descriptor)
        unlink(probe)
        return DoctorCheck("data-dir", .pass, "\(path) is writable")
    }

    func checkPort(host: String, port: Int) -> DoctorCheck {
        do {
            let socket = try ListeningSocket.open(.tcp(host: host, port: port), backlog: 1)
            socket.close()
            return DoctorCheck("port", .pass, "\(host):\(port) is free")
        } catch let error where error.errno == EADDRINUSE {
            return DoctorCheck(
                "port", .warn, "\(host):\(port) is in use",
                fix: "fine if tgbotd (or tgbotd.socket) holds it — check curl http://\(host):\(port)/healthz; "
                    + "otherwise stop the other program or choose --port")
        } catch {
            return DoctorCheck(
                "port", .fail, "cannot bind \(host):\(port): \(error)",
                fix: "use an address this host has and a port above 1023 (nginx or Caddy take 443)")
        }
    }

    func checkSecret() -> DoctorCheck {
        let source = configuration.webhookSecretSource.map { " from \($0)" } ?? ""
        guard let secret = configuration.webhookSecret else {
            return DoctorCheck(
                "secret", .fail, "no webhook secret: anyone who finds the URL can post fake updates",
                fix: "tgbotd webhook set generates one; give it to the daemon as TGBOTD_SECRET_TOKEN or "
                    + "LoadCredential=\(OperatorCredentials.secretCredentialName):/etc/tgbotd/webhook-secret")
        }
        guard WebhookSecret.isValid(secret.reveal()) else {
            return DoctorCheck(
                "secret", .fail, "the webhook secret\(source) is not 1-256 characters of A-Z a-z 0-9 _ -",
                fix: "generate a valid one with tgbotd webhook set (without --secret-token)")
        }
        if secret.count < 32 {
            return DoctorCheck(
                "secret", .warn, "the webhook secret\(source) has only \(secret.count) characters",
                fix: "use 32 or more random characters (tgbotd webhook set generates 48)")
        }
        return DoctorCheck("secret", .pass, "webhook secret set\(source) (\(secret.count) characters)")
    }
}
