import Foundation
import TGBot
import TGBotTypes
import Testing

/// A fresh `$CREDENTIALS_DIRECTORY` under the temporary directory, removed by `remove()`.
private struct CredentialsDirectory {
    let path = NSTemporaryDirectory() + "tgbotd-credentials-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) }

    func write(_ name: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct CredentialsTests {
    @Test func readsTheTokenFromTheCredentialFileWithoutItsNewline() throws {
        let directory = try CredentialsDirectory()
        defer { directory.remove() }
        try directory.write("telegram-bot-token", "123:from-file\n")
        let credentials = Credentials(environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(try credentials.botToken()?.reveal() == "123:from-file")
        // An empty variable counts as unset, as systemd's `Environment=TELEGRAM_BOT_TOKEN=` leaves it.
        let emptyVariable = Credentials(
            environment: ["CREDENTIALS_DIRECTORY": directory.path, "TELEGRAM_BOT_TOKEN": ""])
        #expect(try emptyVariable.botToken()?.reveal() == "123:from-file")
    }

    @Test func environmentTokenWinsOverTheCredentialFile() throws {
        let directory = try CredentialsDirectory()
        defer { directory.remove() }
        try directory.write("telegram-bot-token", "123:from-file")
        let credentials = Credentials(
            environment: ["CREDENTIALS_DIRECTORY": directory.path, "TELEGRAM_BOT_TOKEN": "123:from-env"])
        #expect(try credentials.botToken()?.reveal() == "123:from-env")
    }

    @Test func nothingConfiguredIsNil() throws {
        let directory = try CredentialsDirectory()
        defer { directory.remove() }
        #expect(try Credentials(environment: [:]).botToken() == nil)
        #expect(try Credentials(environment: [:]).webhookSecret(explicit: nil) == nil)
        let emptyDirectory = Credentials(environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(emptyDirectory.directory == directory.path)
        #expect(try emptyDirectory.botToken() == nil)
        #expect(try emptyDirectory.webhookSecret(explicit: nil) == nil)
    }

    @Test func webhookSecretComesFromTheExplicitValueThenTheFile() throws {
        let directory = try CredentialsDirectory()
        defer { directory.remove() }
        try directory.write("webhook-secret", "file_secret-1\r\n")
        let credentials = Credentials(environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(try credentials.webhookSecret(explicit: nil)?.reveal() == "file_secret-1")
        #expect(try credentials.webhookSecret(explicit: "flag-secret")?.reveal() == "flag-secret")
    }

    @Test(arguments: [
        ("webhook-secret", "has spaces and / slashes"),
        ("webhook-secret", "\n"),
        ("telegram-bot-token", ""),
        ("telegram-bot-token", String(repeating: "x", count: Credentials.maxFileBytes + 1)),
    ])
    func unusableFilesAreErrorsThatNameTheFileButNotTheContents(name: String, contents: String) throws {
        let directory = try CredentialsDirectory()
        defer { directory.remove() }
        try directory.write(name, contents)
        let credentials = Credentials(environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect {
            if name == Credentials.botTokenName {
                _ = try credentials.botToken()
            } else {
                _ = try credentials.webhookSecret(explicit: nil)
            }
        } throws: { error in
            let text = "\(error)"
            let trimmed = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.contains(directory.path + "/" + name) && (trimmed.isEmpty || !text.contains(trimmed))
        }
    }

    @Test func unreadableFileIsAnError() throws {
        let directory = try CredentialsDirectory()
        defer { directory.remove() }
        // A directory where the file should be: open succeeds, read fails with EISDIR (and root cannot bypass it
        // the way it bypasses file modes).
        try FileManager.default.createDirectory(
            atPath: directory.path + "/telegram-bot-token", withIntermediateDirectories: false)
        let credentials = Credentials(environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect {
            _ = try credentials.botToken()
        } throws: { error in
            "\(error)".contains("cannot read")
        }
    }

    @Test(arguments: [
        ("a", true), ("A-z_0-9", true), (String(repeating: "s", count: 256), true),
        ("", false), (String(repeating: "s", count: 257), false), ("with space", false), ("ünï", false),
    ])
    func webhookSecretRule(value: String, isValid: Bool) {
        #expect(Credentials.isValidWebhookSecret(value) == isValid)
    }
}
