import TGBotTypes
import Testing

struct CommandTests {
    @Test func parsesPlainCommand() {
        #expect(Command(parsing: "/start") == Command(name: "start"))
    }

    @Test func parsesArgumentsAfterWhitespace() throws {
        let command = try #require(Command(parsing: "/ban   3d  spam\nmore"))
        #expect(command.name == "ban")
        #expect(command.arguments == "3d  spam\nmore")
        #expect(command.argumentList == ["3d", "spam", "more"])
    }

    @Test func honoursTheBotUsername() {
        #expect(
            Command(parsing: "/start@Echo_Bot deep", botUsername: "echo_bot")
                == Command(name: "start", botUsername: "Echo_Bot", arguments: "deep"))
        #expect(Command(parsing: "/start@echo_bot", botUsername: "@echo_bot")?.name == "start")
        #expect(Command(parsing: "/start@other_bot", botUsername: "echo_bot") == nil)
        // Without our username we cannot tell, so the mention is reported, not judged.
        #expect(Command(parsing: "/start@other_bot")?.botUsername == "other_bot")
    }

    @Test(arguments: ["start", "/", "/ x", "/start@", "/bad-name", "/" + String(repeating: "a", count: 33), " /start"])
    func rejectsNonCommands(_ text: String) {
        #expect(Command(parsing: text) == nil)
    }

    @Test func acceptsCommandFollowedByEmoji() {
        #expect(Command(parsing: "/go 👋")?.arguments == "👋")
    }

    /// Texts where the byte fast path hands over to the `Character` walk, and ASCII edge cases it handles itself;
    /// the expectations are what the `Character` walk alone answered.
    @Test(
        arguments: [
            ("/go\u{00A0}now", Command(name: "go", arguments: "now")),
            ("/go \u{301}x", Command(name: "go", arguments: "x")),
            ("/st\u{301}art x", nil),
            ("/go\r\nx", Command(name: "go", arguments: "x")),
            ("/go\u{0B}x", Command(name: "go", arguments: "x")),
            ("/a@b@c d", Command(name: "a", botUsername: "b@c", arguments: "d")),
            ("/go \u{00A0} x", Command(name: "go", arguments: "x")),
            ("/go\u{1C}x", nil),
            ("/go@bot\u{301} x", Command(name: "go", botUsername: "bot\u{301}", arguments: "x")),
        ] as [(String, Command?)])
    func agreesWithTheCharacterWalk(_ text: String, _ expected: Command?) {
        #expect(Command(parsing: text) == expected)
    }

    @Test func readsCommandFromFixtureMessage() throws {
        let update = try Update(jsonBytes: try fixture("updates/message.json"))
        let command = try #require(update.message?.command(botUsername: "echo_bot"))
        #expect(command.name == "start")
        #expect(command.arguments == "hello 👋")
        #expect(update.message?.command(botUsername: "someone_else") == nil)
    }
}
