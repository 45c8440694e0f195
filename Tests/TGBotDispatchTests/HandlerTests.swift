import Foundation
import Logging
import TGBotAPI
import TGBotDispatch
import TGBotTesting
import TGBotTypes
import Testing

@Suite struct HandlerTests {
    static let user = #"{"id": 42, "is_bot": false, "first_name": "Ann"}"#
    static let chat = #"{"id": 7, "type": "private", "first_name": "Ann"}"#
    static let channel = #"{"id": -1007, "type": "channel", "title": "News"}"#
    static let message = #"{"message_id": 1, "date": 1, "chat": \#(chat), "from": \#(user), "text": "hi"}"#
    static let post = #"{"message_id": 1, "date": 1, "chat": \#(channel), "text": "hi"}"#
    static let business =
        #"{"message_id": 1, "date": 1, "chat": \#(chat), "from": \#(user), "text": "hi", "business_connection_id": "bc"}"#
    static let member =
        #"{"chat": \#(chat), "from": \#(user), "date": 1, "old_chat_member": {"status": "left", "user": \#(user)}, "new_chat_member": {"status": "member", "user": \#(user)}}"#
    static let premium = #"{"source": "premium", "user": \#(user)}"#

    /// Every kind's payload, as Telegram would send it, and the name of the handler that must take it.
    static let kinds: [(kind: String, payload: String, handler: String)] = [
        ("message", message, "message"),
        ("edited_message", message, "edited_message"),
        ("channel_post", post, "channel_post"),
        ("edited_channel_post", post, "edited_channel_post"),
        (
            "business_connection",
            #"{"id": "bc", "user": \#(user), "user_chat_id": 42, "date": 1, "is_enabled": true}"#, "business_connection"
        ),
        ("business_message", business, "business_message"),
        ("edited_business_message", business, "edited_business_message"),
        (
            "deleted_business_messages", #"{"business_connection_id": "bc", "chat": \#(chat), "message_ids": [1]}"#,
            "deleted_business_messages"
        ),
        ("guest_message", message, "guest_message"),
        (
            "message_reaction",
            #"{"chat": \#(chat), "message_id": 1, "date": 1, "user": \#(user), "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "👍"}]}"#,
            "message_reaction"
        ),
        (
            "message_reaction_count", #"{"chat": \#(chat), "message_id": 1, "date": 1, "reactions": []}"#,
            "message_reaction_count"
        ),
        ("inline_query", #"{"id": "iq", "from": \#(user), "query": "cats", "offset": ""}"#, "inline_query"),
        ("chosen_inline_result", #"{"result_id": "r", "from": \#(user), "query": "cats"}"#, "chosen_inline_result"),
        (
            "callback_query", #"{"id": "cq", "from": \#(user), "chat_instance": "ci", "data": "buy:3"}"#,
            "callback_query"
        ),
        (
            "shipping_query",
            #"{"id": "sq", "from": \#(user), "invoice_payload": "p", "shipping_address": {"country_code": "DE", "state": "", "city": "Berlin", "street_line1": "A", "street_line2": "", "post_code": "10115"}}"#,
            "shipping_query"
        ),
        (
            "pre_checkout_query",
            #"{"id": "pq", "from": \#(user), "currency": "XTR", "total_amount": 5, "invoice_payload": "p"}"#,
            "pre_checkout_query"
        ),
        ("purchased_paid_media", #"{"from": \#(user), "paid_media_payload": "p"}"#, "purchased_paid_media"),
        (
            "poll",
            #"{"id": "p", "question": "Q?", "options": [], "total_voter_count": 0, "is_closed": true, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false, "allows_revoting": false, "members_only": false}"#,
            "poll"
        ),
        (
            "poll_answer", #"{"poll_id": "p", "option_ids": [0], "option_persistent_ids": ["a"], "user": \#(user)}"#,
            "poll_answer"
        ),
        ("my_chat_member", member, "my_chat_member"),
        ("chat_member", member, "chat_member"),
        (
            "chat_join_request", #"{"chat": \#(chat), "from": \#(user), "user_chat_id": 42, "date": 1}"#,
            "chat_join_request"
        ),
        (
            "chat_boost",
            #"{"chat": \#(chat), "boost": {"boost_id": "b", "add_date": 1, "expiration_date": 2, "source": \#(premium)}}"#,
            "chat_boost"
        ),
        (
            "removed_chat_boost", #"{"chat": \#(chat), "boost_id": "b", "remove_date": 1, "source": \#(premium)}"#,
            "removed_chat_boost"
        ),
        ("managed_bot", #"{"user": \#(user), "bot": {"id": 9, "is_bot": true, "first_name": "B"}}"#, "managed_bot"),
        ("subscription", #"{"id": "s"}"#, "unknown"),
        ("message", #"{"message_id": 1}"#, "undecodable"),
    ]

    /// A dispatcher with one handler per kind, each named after the kind, plus a catch-all in a later group.
    static func dispatcherForEveryKind() -> Dispatcher {
        var d = Dispatcher()
        d.message { _, _ in }
        d.editedMessage { _, _ in }
        d.channelPost { _, _ in }
        d.editedChannelPost { _, _ in }
        d.businessConnection { _, _ in }
        d.businessMessage { _, _ in }
        d.editedBusinessMessage { _, _ in }
        d.deletedBusinessMessages { _, _ in }
        d.guestMessage { _, _ in }
        d.messageReaction { _, _ in }
        d.messageReactionCount { _, _ in }
        d.inlineQuery { _, _ in }
        d.chosenInlineResult { _, _ in }
        d.callbackQuery { _, _ in }
        d.shippingQuery { _, _ in }
        d.preCheckoutQuery { _, _ in }
        d.purchasedPaidMedia { _, _ in }
        d.poll { _, _ in }
        d.pollAnswer { _, _ in }
        d.myChatMember { _, _ in }
        d.chatMember { _, _ in }
        d.chatJoinRequest { _, _ in }
        d.chatBoost { _, _ in }
        d.removedChatBoost { _, _ in }
        d.managedBot { _, _ in }
        d.unknownKind { _, _ in }
        d.undecodable { _, _ in }
        d.any(group: 1, name: "catch-all") { _ in }
        return d
    }

    @Test(arguments: 0..<kinds.count)
    func everyHandlerKindMatchesItsUpdateKind(_ index: Int) async throws {
        let (kind, payload, handler) = Self.kinds[index]
        let update = try Update.make(kind: kind, payload: JSONValue(parsing: Array(payload.utf8)))
        let outcome = await Self.dispatcherForEveryKind().handle(update, bot: RecordingBotAPICaller())
        #expect(outcome.handlerNames == [handler, "catch-all"], "\(kind): \(update.kind)")
    }

    @Test func commandHandlerHonoursTheBotUsername() async {
        let bot = RecordingBotAPICaller()
        var dispatcher = Dispatcher(botUsername: "@test_bot")
        dispatcher.command("start", "help") { context, command in
            try await context.reply("\(command.name)|\(command.arguments)|\(context.captures)")
        }
        for text in [
            "/start", "/start@test_bot a b", "/START@Test_Bot", "/help@TEST_BOT x", "/start@other_bot", "/stop",
        ] {
            _ = await dispatcher.handle(.make(text: text), bot: bot)
        }
        #expect(bot.sentTexts == ["start||[\"\"]", "start|a b|[\"a b\"]", "help|x|[\"x\"]"])
    }

    @Test func callbackHandlersCaptureData() async throws {
        let bot = RecordingBotAPICaller()
        var dispatcher = Dispatcher()
        dispatcher.callbackQuery(matching: /^buy:(\d+)$/) { context, query in
            try await context.answerCallbackQuery(text: "bought \(context.captures[1])")
        }
        dispatcher.callbackQuery(data: "page:") { context, _ in
            try await context.reply("page \(context.captures[0])")
        }
        _ = await dispatcher.handle(.makeCallback(data: "buy:12", queryID: "q1"), bot: bot)
        _ = await dispatcher.handle(.makeCallback(data: "page:3", chatID: 55), bot: bot)
        let unmatched = await dispatcher.handle(.makeCallback(data: "buy:x"), bot: bot)
        #expect(unmatched.status == .unhandled)
        let answers = bot.calls(to: "answerCallbackQuery")
        #expect(answers.count == 1)
        #expect(answers.first?.parameters == ["callback_query_id": "q1", "text": "bought 12"])
        #expect(bot.calls(to: "sendMessage").first?.parameters == ["chat_id": 55, "text": "page 3"])
    }

    @Test func contextDescribesTheUpdate() async throws {
        let bot = RecordingBotAPICaller()
        let spawned = HandlerEventLog()
        var dispatcher = Dispatcher(botUsername: "test_bot")
        dispatcher.command("who") { context, _ in
            #expect(context.chatID == -100)
            #expect(context.userID == 42)
            #expect(context.command?.name == "who")
            #expect(context.logger[metadataKey: "update.id"] == "5")
            #expect(context.logger[metadataKey: "update.kind"] == "message")
            #expect(context.logger[metadataKey: "handler"] == "command:/who")
            #expect(context.userData?.scope == .user(42))
            #expect(context.chatData?.scope == .chat(-100))
            #expect(context.conversation?.scope == .conversation(chat: -100, user: 42))
            context.spawn { spawned.append("spawned") }
            try await context.reply("ok", quoting: true)
            do {
                try await context.answerCallbackQuery()
                Issue.record("answerCallbackQuery on a message must throw")
            } catch let error as UpdateContextError {
                #expect(error == .notApplicable("answerCallbackQuery", kind: "message"))
            }
        }
        let outcome = await dispatcher.handle(
            .make(text: "/who", chatID: -100, userID: 42, updateID: 5, chatType: "group", messageID: 9), bot: bot,
            spawn: { work in spawned.append("enqueued") })
        #expect(outcome.status == .handled)
        #expect(spawned.all == ["enqueued"])
        #expect(
            bot.calls(to: "sendMessage").first?.parameters == [
                "chat_id": -100, "text": "ok", "reply_parameters": ["message_id": 9],
            ])
    }

    @Test(.timeLimit(.minutes(1)))
    func spawnedWorkRunsAfterTheHandler() async {
        let bot = RecordingBotAPICaller()
        var dispatcher = Dispatcher()
        dispatcher.message(.text) { context, _ in
            context.spawn { try? await context.reply("later") }
            try await context.reply("now")
        }
        let outcome = await dispatcher.handle(.make(text: "x"), bot: bot)
        #expect(outcome.status == .handled)
        await bot.waitForCalls(count: 2)
        #expect(Set(bot.sentTexts) == ["now", "later"])
    }

    @Test func replyWithoutAChatFails() async {
        var dispatcher = Dispatcher()
        dispatcher.inlineQuery { context, _ in try await context.reply("nowhere") }
        let update = try? Update.make(
            kind: "inline_query",
            payload: ["id": "q", "from": ["id": 1, "is_bot": false, "first_name": "A"], "query": "", "offset": ""])
        let outcome = await dispatcher.handle(update ?? .make(text: "unreachable"), bot: RecordingBotAPICaller())
        #expect(outcome.status == .failed)
        #expect(outcome.error?.underlying as? UpdateContextError == .notApplicable("reply", kind: "inline_query"))
    }
}
