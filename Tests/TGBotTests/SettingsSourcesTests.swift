import TGBot
import Testing

struct SettingsSourcesTests {
    let sources = SettingsSources(settings: [
        .init("port"), .init("max-in-flight"), .init("webhook-reply", isFlag: true), .init("secret-token"),
    ])

    @Test func environmentVariablesAreNamedAfterTheFlags() {
        #expect(SettingsSources.Setting("max-in-flight").environmentName == "TGBOTD_MAX_IN_FLIGHT")
        #expect(SettingsSources.Setting("api-base-url").environmentName == "TGBOTD_API_BASE_URL")
    }

    @Test func fileComesBeforeEnvironmentSoLaterSourcesWin() throws {
        let file = """
            # tgbotd settings
            port = 9000
            max-in-flight = "256"

            webhook-reply = yes
            """
        let arguments = try sources.arguments(
            environment: ["TGBOTD_PORT": "9100", "TGBOTD_WEBHOOK_REPLY": "false", "UNRELATED": "x"],
            configText: file, configPath: "/etc/tgbotd/tgbotd.conf")
        // The environment's --port comes after the file's; the user's own flags are appended after both by the
        // caller, and a repeated option keeps its last value.
        #expect(arguments == ["--port", "9000", "--max-in-flight", "256", "--webhook-reply", "--port", "9100"])
    }

    @Test func refusesUnknownKeysMalformedLinesAndBadBooleans() {
        #expect(throws: SettingsSources.SettingsError.self) {
            try sources.arguments(environment: [:], configText: "prot = 1", configPath: "f")
        }
        #expect(throws: SettingsSources.SettingsError.self) {
            try sources.arguments(environment: [:], configText: "port 1", configPath: "f")
        }
        #expect(throws: SettingsSources.SettingsError.self) {
            try sources.arguments(environment: ["TGBOTD_WEBHOOK_REPLY": "maybe"], configText: nil)
        }
        do {
            _ = try sources.arguments(environment: [:], configText: "\n\nprot = 1", configPath: "f.conf")
        } catch {
            #expect(error.description == "f.conf:3: unknown setting 'prot'")
        }
    }

    @Test func errorsNeverQuoteValues() {
        do {
            _ = try sources.arguments(environment: [:], configText: "secret-token\n", configPath: "f")
            Issue.record("a line without '=' must be refused")
        } catch {
            #expect(!error.description.contains("secret-token\n"))
        }
    }
}
