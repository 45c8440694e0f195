import FoundationEssentials
import TGBotAPI
import TGBotTypes

/// `tgbotd doctor`: checks a deployment from the outside in and says what is wrong and how to fix it.
///
/// The checks, in order:
/// 1. **token** — present, and accepted by `getMe` (401 → "token rejected");
/// 2. **webhook** — `getWebhookInfo`: a URL is set, is HTTPS, is the expected one; pending updates; the last
///    delivery error and its age; `allowed_updates` covering the kinds the bot handles;
/// 3. **round-trip** — the median and spread of N more `getMe` calls (``RoundTripSummary``);
/// 4. **local** — data directory writable, listen port free, webhook secret set (``LocalChecks``).
///
/// The Bot API checks stop after a failed token check: nothing else can be learned without one. Secrets never
/// appear in the report: errors from the client are already scrubbed of the token, and the secret is only
/// described by its length and source.
///
/// ```swift
/// let doctor = Doctor(configuration: configuration, caller: BotClient(token: token))
/// let report = await doctor.run()
/// print(report.rendered)
/// exit(report.hasFailure ? 1 : 0)
/// ```
public struct Doctor: Sendable {
    /// What to check.
    public var configuration: DoctorConfiguration
    /// The Bot API client (built with the configuration's token); nil when there is no token.
    public var caller: (any BotAPICaller)?

    /// Creates a doctor.
    public init(configuration: DoctorConfiguration, caller: (any BotAPICaller)?) {
        self.configuration = configuration
        self.caller = caller
    }

    /// Runs every check.
    ///
    /// - Parameter now: The current time, for the age of the webhook's last error.
    public func run(now: Date = Date()) async -> DoctorReport {
        var checks: [DoctorCheck] = []
        if let caller, configuration.token != nil {
            let tokenCheck = await checkToken(caller)
            checks.append(tokenCheck)
            if tokenCheck.status != .fail {
                checks += await checkWebhook(caller, now: now)
                checks.append(await checkRoundTrips(caller))
            }
        } else {
            checks.append(
                DoctorCheck(
                    "token", .fail, "no bot token (Bot API checks skipped)",
                    fix: "set TELEGRAM_BOT_TOKEN, pass --token-file PATH, or give the service "
                        + "LoadCredential=\(OperatorCredentials.tokenCredentialName):/etc/tgbotd/telegram-bot-token"))
        }
        checks += LocalChecks(configuration: configuration).run()
        return DoctorReport(checks: checks)
    }

    /// `getMe`: the token works and names the bot.
    func checkToken(_ caller: any BotAPICaller) async -> DoctorCheck {
        let source = configuration.tokenSource.map { " (token from \($0))" } ?? ""
        if let token = configuration.token, !Self.looksLikeToken(token.reveal()) {
            return DoctorCheck(
                "token", .fail, "token rejected: not in Telegram's format <bot id>:<secret>\(source)",
                fix: "copy the whole token from @BotFather (/mybots → API Token), without quotes or spaces")
        }
        do {
            let me = try await caller.getMe()
            let name = me.username.map { "@" + $0 } ?? me.firstName
            return DoctorCheck("token", .pass, "bot \(name), id \(me.id)\(source)")
        } catch let error as BotAPIError where error.kind == .api && [401, 404].contains(error.errorCode ?? 0) {
            return DoctorCheck(
                "token", .fail,
                "token rejected: Telegram error \(error.errorCode ?? 0): \(error.apiDescription ?? "")\(source)",
                fix: "copy the current token from @BotFather (/mybots → API Token); it changes when revoked")
        } catch {
            return DoctorCheck(
                "token", .fail, "cannot check the token: \(error)",
                fix: "check that \(configuration.apiBaseURL.absoluteString) is reachable from here (DNS, firewall, "
                    + "proxy) and that --api-base-url is right")
        }
    }

    /// Whether `token` has the shape of a bot token: digits, a colon, then letters, digits, `_` and `-`.
    static func looksLikeToken(_ token: String) -> Bool {
        let parts = token.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy(\.isASCII) && parts[0].allSatisfy(\.isNumber)
            && parts[1].utf8.allSatisfy { WebhookSecret.isValid(String(UnicodeScalar($0))) }
    }

    /// `getWebhookInfo`: URL, pending updates, last error, allowed updates.
    func checkWebhook(_ caller: any BotAPICaller, now: Date) async -> [DoctorCheck] {
        let info: WebhookInfo
        do {
            info = try await caller.getWebhookInfo()
        } catch {
            return [
                DoctorCheck(
                    "webhook", .fail, "getWebhookInfo failed: \(error)", fix: "run doctor again; check the network")
            ]
        }
        var checks: [DoctorCheck] = []
        let setFix = "tgbotd webhook set --url https://YOUR-HOST/telegram"
        if info.url.isEmpty {
            checks.append(
                DoctorCheck("webhook", .fail, "no webhook set: Telegram delivers no updates", fix: setFix))
        } else if URL(string: info.url)?.scheme?.lowercased() != "https" {
            checks.append(DoctorCheck("webhook", .fail, "webhook \(info.url) is not HTTPS", fix: setFix))
        } else if let expected = configuration.expectedWebhookURL, expected != info.url {
            checks.append(
                DoctorCheck(
                    "webhook", .fail, "webhook is \(info.url), expected \(expected)",
                    fix: "tgbotd webhook set --url \(expected)"))
        } else {
            checks.append(DoctorCheck("webhook", .pass, "webhook \(info.url)"))
        }
        if let message = info.lastErrorMessage {
            let ageSeconds = info.lastErrorDate.map { max(0, Int64(now.timeIntervalSince1970) - $0) }
            let age = ageSeconds.map { WebhookInfo.describeAge(seconds: $0) } ?? "at an unknown time"
            let recent = ageSeconds.map { Duration.seconds($0) <= configuration.recentErrorAge } ?? true
            checks.append(
                DoctorCheck(
                    "webhook.error", recent ? .fail : .warn, "last delivery error \(age): \(message)",
                    fix: Self.fix(forDeliveryError: message)))
        } else if !info.url.isEmpty {
            checks.append(DoctorCheck("webhook.error", .pass, "no delivery error reported"))
        }
        if info.pendingUpdateCount > configuration.pendingUpdatesWarning {
            checks.append(
                DoctorCheck(
                    "webhook.pending", .warn, "\(info.pendingUpdateCount) updates waiting at Telegram",
                    fix: "the bot is not keeping up or not reachable; check the delivery error above and the "
                        + "daemon's logs (or drop them: tgbotd webhook set --drop-pending-updates …)"))
        } else {
            checks.append(DoctorCheck("webhook.pending", .pass, "\(info.pendingUpdateCount) updates waiting"))
        }
        if let handled = configuration.handledKinds, !info.url.isEmpty {
            checks.append(Self.checkAllowedUpdates(info.allowedUpdates ?? [], handled: handled))
        }
        return checks
    }

    /// Whether Telegram sends every kind the bot handles. An empty list means Telegram's default: every kind but
    /// `chat_member`, `message_reaction` and `message_reaction_count`.
    ///
    /// - Parameters:
    ///   - allowed: The webhook's `allowed_updates`.
    ///   - handled: The kinds the bot's handlers can match.
    public static func checkAllowedUpdates(_ allowed: [String], handled: [String]) -> DoctorCheck {
        let optIn: Set = ["chat_member", "message_reaction", "message_reaction_count"]
        let missing = handled.filter { allowed.isEmpty ? optIn.contains($0) : !allowed.contains($0) }
        let shown = allowed.isEmpty ? "Telegram's default" : allowed.joined(separator: ",")
        guard missing.isEmpty else {
            return DoctorCheck(
                "webhook.allowed_updates", .warn,
                "allowed_updates (\(shown)) lacks \(missing.joined(separator: ",")), which the bot handles",
                fix: "tgbotd webhook set … (derives allowed_updates from the bot's handlers)")
        }
        return DoctorCheck("webhook.allowed_updates", .pass, "allowed_updates: \(shown)")
    }

    /// A hint for the common delivery errors Telegram reports.
    static func fix(forDeliveryError message: String) -> String {
        let lower = message.lowercased()
        if lower.contains("ssl") || lower.contains("certificate") {
            return "serve a certificate chain Telegram trusts (full chain, matching host name) or upload a "
                + "self-signed one: tgbotd webhook set --certificate cert.pem …"
        }
        if lower.contains("401") || lower.contains("403") {
            return "the proxy or tgbotd refused Telegram: the secret set with `tgbotd webhook set` must equal "
                + "the daemon's --secret-token / webhook-secret credential"
        }
        if lower.contains("connection refused") || lower.contains("502") || lower.contains("timeout")
            || lower.contains("timed out")
        {
            return "the proxy cannot reach tgbotd or tgbotd is down: systemctl status tgbotd; "
                + "curl http://127.0.0.1:8080/healthz"
        }
        return "check the reverse proxy and the daemon's logs (journalctl -u tgbotd)"
    }

    /// Times `roundTrips` `getMe` calls, one after another (bounded by the count and by the client's timeout).
    func checkRoundTrips(_ caller: any BotAPICaller) async -> DoctorCheck {
        let clock = ContinuousClock()
        var samples: [Duration] = []
        for _ in 0..<max(1, configuration.roundTrips) {
            let start = clock.now
            do {
                _ = try await caller.getMe()
            } catch {
                return DoctorCheck(
                    "round-trip", .fail, "getMe failed after \(samples.count) calls: \(error)",
                    fix: "the Bot API connection is unreliable; check the network path to it")
            }
            samples.append(clock.now - start)
        }
        return RoundTripSummary(samples: samples).check
    }
}
