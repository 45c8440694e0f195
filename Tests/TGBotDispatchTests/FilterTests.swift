import Foundation
import TGBotDispatch
import TGBotTesting
import TGBotTypes
import Testing

/// One row of the filter table: a filter, an update and whether the filter must match it.
struct FilterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var filter: Filter
    var update: Update
    var expected: Bool
    var testDescription: String { name }
}

@Suite struct FilterTests {
    static let text = Update.make(text: "hello world", chatID: 7, userID: 42)
    static let group = Update.make(text: "hello", chatID: -100, userID: 42, chatType: "supergroup")
    static let start = Update.make(text: "/start deep", userID: 42)
    static let startForUs = Update.make(text: "/start@test_bot deep", userID: 42)
    static let startForOther = Update.make(text: "/start@other_bot deep", userID: 42)
    static let callback = Update.makeCallback(data: "buy:12", userID: 42)

    static var photo: Update {
        var message = Message.make(chatID: 7, userID: 42)
        message.photo = [PhotoSize(fileID: "f", fileUniqueID: "u", width: 10, height: 10)]
        message.caption = "a cat at https://cats.example"
        message.captionEntities = [MessageEntity(type: "url", offset: 9, length: 20)]
        return .make(message: message)
    }

    static var forwardedReply: Update {
        var message = Message.make(chatID: 7, userID: 42)
        message.text = "fwd"
        message.forwardOrigin = .user(MessageOriginUser(date: 1, senderUser: User.make(id: 5)))
        message.replyToMessage = Message.make(chatID: 7, userID: 5, messageID: 0)
        return .make(message: message)
    }

    static let cases: [FilterCase] = [
        FilterCase(name: "text matches text", filter: .text, update: text, expected: true),
        FilterCase(name: "text rejects photo", filter: .text, update: photo, expected: false),
        FilterCase(name: "text rejects callback", filter: .text, update: callback, expected: false),
        FilterCase(name: "exact text", filter: .text("hello world"), update: text, expected: true),
        FilterCase(name: "exact text differs", filter: .text("hello"), update: text, expected: false),
        FilterCase(name: "text prefix", filter: .textPrefix("hello"), update: text, expected: true),
        FilterCase(name: "caption", filter: .caption, update: photo, expected: true),
        FilterCase(name: "private chat", filter: .chatType(.private), update: text, expected: true),
        FilterCase(name: "private rejects group", filter: .chatType(.private), update: group, expected: false),
        FilterCase(name: "group types", filter: .chatType(.group, .supergroup), update: group, expected: true),
        FilterCase(name: "entity in caption", filter: .entity(.url), update: photo, expected: true),
        FilterCase(name: "command entity", filter: .entity(.botCommand), update: start, expected: true),
        FilterCase(name: "no url entity", filter: .entity(.url), update: text, expected: false),
        FilterCase(name: "photo media", filter: .media(.photo), update: photo, expected: true),
        FilterCase(name: "video media", filter: .media(.video, .voice), update: photo, expected: false),
        FilterCase(name: "any media", filter: .anyMedia, update: photo, expected: true),
        FilterCase(name: "no media", filter: .anyMedia, update: text, expected: false),
        FilterCase(name: "from user", filter: .fromUsers([42]), update: text, expected: true),
        FilterCase(name: "from user on callback", filter: .fromUsers([42]), update: callback, expected: true),
        FilterCase(name: "from other user", filter: .fromUsers([1, 2]), update: text, expected: false),
        FilterCase(name: "in chat", filter: .inChats([7]), update: text, expected: true),
        FilterCase(name: "not in chat", filter: .inChats([7]), update: group, expected: false),
        FilterCase(name: "any command", filter: .command, update: start, expected: true),
        FilterCase(name: "not a command", filter: .command, update: text, expected: false),
        FilterCase(name: "named command", filter: .command("start"), update: start, expected: true),
        FilterCase(name: "other command", filter: .command("help"), update: start, expected: false),
        FilterCase(name: "command for us", filter: .command("start"), update: startForUs, expected: true),
        FilterCase(name: "command for other bot", filter: .command("start"), update: startForOther, expected: false),
        FilterCase(name: "forwarded", filter: .forwarded, update: forwardedReply, expected: true),
        FilterCase(name: "not forwarded", filter: .forwarded, update: text, expected: false),
        FilterCase(name: "reply", filter: .reply, update: forwardedReply, expected: true),
        FilterCase(name: "not reply", filter: .reply, update: text, expected: false),
        FilterCase(name: "and", filter: .text && .chatType(.private), update: text, expected: true),
        FilterCase(name: "and fails", filter: .text && .chatType(.private), update: group, expected: false),
        FilterCase(name: "or", filter: .media(.photo) || .text, update: text, expected: true),
        FilterCase(name: "or fails", filter: .media(.photo) || .command, update: text, expected: false),
        FilterCase(name: "not", filter: !.command, update: text, expected: true),
        FilterCase(name: "not fails", filter: !.command, update: start, expected: false),
        FilterCase(name: "text but not command", filter: .text && !.command, update: start, expected: false),
        FilterCase(name: "custom", filter: Filter { $0.updateID == 1 }, update: text, expected: true),
        FilterCase(name: "custom fails", filter: Filter { $0.updateID == 2 }, update: text, expected: false),
        FilterCase(name: "all", filter: .all, update: callback, expected: true),
        FilterCase(name: "none", filter: .none, update: callback, expected: false),
        FilterCase(name: "callback prefix", filter: .callbackData(prefix: "buy:"), update: callback, expected: true),
        FilterCase(
            name: "callback prefix differs", filter: .callbackData(prefix: "sell:"), update: callback, expected: false),
    ]

    @Test(arguments: cases)
    func filterMatchesTable(_ row: FilterCase) {
        #expect(row.filter.matches(row.update, botUsername: "test_bot") == row.expected)
    }

    @Test func regexCapturesWholeMatchAndGroups() throws {
        let filter = try Filter.regex(#"(\w+) (w\w+)"#)
        let input = Filter.Input(update: Self.text)
        #expect(filter.captures(for: input) == ["hello world", "hello", "world"])
        #expect(filter.matches(Self.photo) == false)
        #expect(try Filter.regex("cats\\.example").matches(Self.photo))
    }

    @Test func capturesCombineAcrossOperators() throws {
        let hello = try Filter.regex("(hel)lo")
        let world = try Filter.regex("wor(ld)")
        let input = Filter.Input(update: Self.text)
        #expect((hello && world).captures(for: input) == ["hello", "hel", "world", "ld"])
        #expect((.none || world).captures(for: input) == ["world", "ld"])
        #expect((hello || world).captures(for: input) == ["hello", "hel"])
        #expect((!Filter.none).captures(for: input) == [])
        #expect((!hello).captures(for: input) == nil)
    }

    @Test func callbackDataCaptures() throws {
        let input = Filter.Input(update: Self.callback)
        #expect(Filter.callbackData(prefix: "buy:").captures(for: input) == ["12"])
        let regex = /^buy:(\d+)$/
        #expect(Filter.callbackData(matching: regex).captures(for: input) == ["buy:12", "12"])
        #expect(Filter.callbackData(matching: regex).matches(Self.text) == false)
    }

    @Test func commandCapturesArguments() {
        let input = Filter.Input(update: Self.startForUs, botUsername: "@test_bot")
        #expect(Filter.command("start").captures(for: input) == ["deep"])
    }

    @Test func invalidRegexThrows() {
        #expect(throws: (any Error).self) { try Filter.regex("(unclosed") }
    }
}
