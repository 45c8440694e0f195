/// Turns settings from a configuration file and `TGBOTD_*` environment variables into command-line arguments,
/// so every `tgbotd serve` setting can come from a flag, the environment or a file, with one precedence:
///
///     flag  >  environment variable  >  configuration file  >  built-in default
///
/// The arguments are placed before the user's own, and a repeated option takes its last value, so a flag on the
/// command line always wins. The environment variable of `--max-in-flight` is `TGBOTD_MAX_IN_FLIGHT`; the
/// configuration file holds `name = value` lines with the flag's name (`max-in-flight = 512`), `#` comments and
/// blank lines. A boolean flag is set by `true`/`1`/`yes`/`on` and left unset by `false`/`0`/`no`/`off`.
public struct SettingsSources: Sendable {
    /// One setting of a command.
    public struct Setting: Sendable, Hashable {
        /// The long flag name without dashes (`max-in-flight`).
        public var name: String
        /// Whether the flag takes no value (`--webhook-reply`).
        public var isFlag: Bool

        public init(_ name: String, isFlag: Bool = false) {
            self.name = name
            self.isFlag = isFlag
        }

        /// `TGBOTD_MAX_IN_FLIGHT` for `max-in-flight`.
        public var environmentName: String {
            "TGBOTD_" + name.uppercased().replacing("-", with: "_")
        }
    }

    /// A configuration file or environment value that cannot be used.
    public struct SettingsError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The settings the command accepts.
    public let settings: [Setting]

    public init(settings: [Setting]) {
        self.settings = settings
    }

    /// The arguments the environment and `configText` stand for, configuration file first.
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - configText: the configuration file's contents, if one is used.
    ///   - configPath: the file's path, for error messages.
    /// - Throws: ``SettingsError`` for an unknown key, a malformed line or a bad boolean, naming where it is
    ///   (never the value of a `*token*`/`*secret*` setting).
    public func arguments(
        environment: [String: String], configText: String?, configPath: String = "config"
    ) throws(SettingsError) -> [String] {
        var arguments: [String] = []
        if let configText {
            var lineNumber = 0
            for rawLine in configText.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let line = rawLine.trimmingBlanks()
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let equals = line.firstIndex(of: "=") else {
                    throw SettingsError(description: "\(configPath):\(lineNumber): expected 'name = value'")
                }
                let key = String(line[..<equals]).trimmingBlanks()
                let value = String(line[line.index(after: equals)...]).trimmingBlanks().unquoted()
                guard let setting = settings.first(where: { $0.name == key }) else {
                    throw SettingsError(description: "\(configPath):\(lineNumber): unknown setting '\(key)'")
                }
                arguments += try Self.arguments(for: setting, value: value, source: "\(configPath):\(lineNumber)")
            }
        }
        for setting in settings {
            guard let value = environment[setting.environmentName], !value.isEmpty else { continue }
            arguments += try Self.arguments(for: setting, value: value, source: setting.environmentName)
        }
        return arguments
    }

    private static func arguments(
        for setting: Setting, value: String, source: String
    ) throws(SettingsError)
        -> [String]
    {
        guard setting.isFlag else { return ["--" + setting.name, value] }
        switch value.lowercased() {
        case "true", "1", "yes", "on": return ["--" + setting.name]
        case "false", "0", "no", "off": return []
        default:
            throw SettingsError(description: "\(source): '\(setting.name)' takes true or false")
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingBlanks() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return String(text)
    }

    /// Drops one pair of surrounding double quotes, so `path = "/var/lib/tgbotd"` works too.
    fileprivate func unquoted() -> String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return String(self) }
        return String(dropFirst().dropLast())
    }
}
