import Foundation
import TGBotAPI
import TGBotTesting
import TGBotTypes
import Testing

/// Parameters arrive at a Bot API server (the fake, over real HTTP) encoded as Telegram expects: JSON for
/// plain calls, multipart/form-data with `attach://` references for uploads.
@Suite(.timeLimit(.minutes(1)))
struct ClientEncodingTests {
    @Test func sendMessageWithInlineKeyboardIsJSON() async throws {
        try await withClient { bot, server in
            let keyboard = InlineKeyboardMarkup(inlineKeyboard: [
                [InlineKeyboardButton(text: "Yes", callbackData: "vote:yes")],
                [InlineKeyboardButton(text: "Docs", url: "https://core.telegram.org/bots/api")],
            ])
            let sent = try await bot.sendMessage(
                chatID: -1_001_234_567_890, text: "Vote?", replyMarkup: .inlineKeyboard(keyboard))
            let call = try #require(onlyCall(server))
            #expect(call.method == "sendMessage")
            #expect(call.contentType == "application/json")
            #expect(call["chat_id"] == .integer(-1_001_234_567_890))
            #expect(call["text"] == "Vote?")
            #expect(call["reply_markup"]?["inline_keyboard"]?[0]?[0]?["callback_data"] == "vote:yes")
            #expect(call["reply_markup"]?["inline_keyboard"]?[1]?[0]?["url"] == "https://core.telegram.org/bots/api")
            #expect(call["parse_mode"] == nil, "nil parameters are omitted")
            #expect(call.parameters?.objectValue?.count == 3)
            #expect(sent.messageID == 1)
            #expect(sent.text == "Vote?")
            #expect(sent.chat.id == -1_001_234_567_890)
        }
    }

    @Test func chatIDAsUsernameIsAString() async throws {
        try await withClient { bot, server in
            try await bot.sendMessage(chatID: "@tgbotd_channel", text: "hello")
            let call = try #require(onlyCall(server))
            #expect(call["chat_id"] == "@tgbotd_channel")
        }
    }

    @Test func sendPhotoUploadIsMultipart() async throws {
        try await withClient { bot, server in
            let photo = InputFile(
                attachmentName: "photo", filename: "cat.png", contentType: "image/png", data: samplePNG)
            let sent = try await bot.sendPhoto(
                chatID: 42, photo: .upload(photo), caption: "a cat", disableNotification: true,
                replyMarkup: .inlineKeyboard(
                    InlineKeyboardMarkup(inlineKeyboard: [[.init(text: "👍", callbackData: "up")]])))
            let call = try #require(onlyCall(server))
            #expect(call.isMultipart)
            #expect(call.fields["chat_id"] == "42", "numbers travel as their JSON text")
            #expect(call.fields["caption"] == "a cat", "strings travel as-is, not JSON-quoted")
            #expect(call.fields["photo"] == "attach://photo")
            #expect(call.fields["disable_notification"] == "true")
            #expect(call["reply_markup"]?["inline_keyboard"]?[0]?[0]?["text"] == "👍", "objects travel as JSON text")
            let file = try #require(call.files["photo"])
            #expect(file.filename == "cat.png")
            #expect(file.contentType == "image/png")
            #expect(file.data == Array(samplePNG))
            #expect(call.files.count == 1)
            #expect(sent.caption == "a cat")
        }
    }

    @Test(arguments: [
        InputFileOrString.fileID("AgACAgIAAxkBAAIBY2ZfileID"), .url("https://example.com/cat.jpg"),
    ])
    func sendPhotoByReferenceIsJSON(photo: InputFileOrString) async throws {
        try await withClient { bot, server in
            try await bot.sendPhoto(chatID: 42, photo: photo)
            let call = try #require(onlyCall(server))
            #expect(call.contentType == "application/json")
            switch photo {
            case .fileID(let id): #expect(call["photo"] == .string(id))
            case .url(let url): #expect(call["photo"] == .string(url))
            case .upload: Issue.record("not a reference")
            }
        }
    }

    @Test func sendMediaGroupUploadsAttachments() async throws {
        try await withClient { bot, server in
            let first = InputFile(attachmentName: "p1", filename: "1.png", contentType: "image/png", data: samplePNG)
            let second = InputFile(attachmentName: "p2", data: Data("second".utf8))
            let sent = try await bot.sendMediaGroup(
                chatID: 7,
                media: [
                    .photo(InputMediaPhoto(media: first.attachReference, caption: "one")),
                    .photo(InputMediaPhoto(media: second.attachReference)),
                    .photo(InputMediaPhoto(media: "AgACAgIAAxkBexistingFileID")),
                ],
                attachments: [first, second])
            let call = try #require(onlyCall(server))
            #expect(call.isMultipart)
            let media = try #require(call["media"]?.arrayValue)
            #expect(media.map { $0["media"] } == ["attach://p1", "attach://p2", "AgACAgIAAxkBexistingFileID"])
            #expect(media.map { $0["type"] } == ["photo", "photo", "photo"])
            #expect(call.files["p1"]?.data == Array(samplePNG))
            #expect(call.files["p2"]?.data == Array("second".utf8))
            #expect(call.files["p2"]?.contentType == "application/octet-stream")
            #expect(sent.count == 3)
        }
    }

    @Test func setWebhookWithCertificateUploadsIt() async throws {
        try await withClient { bot, server in
            let certificate = InputFile(attachmentName: "certificate", filename: "cert.pem", data: Data("PEM".utf8))
            try await bot.setWebhook(
                url: "https://bot.example.com/webhook", certificate: certificate, maxConnections: 40,
                allowedUpdates: ["message", "callback_query"], dropPendingUpdates: true, secretToken: "s3cret")
            let call = try #require(onlyCall(server))
            #expect(call.isMultipart)
            #expect(call.fields["url"] == "https://bot.example.com/webhook")
            #expect(call.fields["certificate"] == "attach://certificate")
            #expect(call.fields["max_connections"] == "40")
            #expect(call["allowed_updates"] == ["message", "callback_query"])
            #expect(call.files["certificate"]?.data == Array("PEM".utf8))
        }
    }

    @Test func setWebhookWithoutFilesIsJSON() async throws {
        try await withClient { bot, server in
            try await bot.setWebhook(url: "https://bot.example.com/hook", allowedUpdates: [], secretToken: "abc")
            let call = try #require(onlyCall(server))
            #expect(call.contentType == "application/json")
            #expect(call["allowed_updates"] == [])
            #expect(call["secret_token"] == "abc")
        }
    }

    @Test func getMeSendsAnEmptyObject() async throws {
        try await withClient { bot, server in
            let me = try await bot.getMe()
            let call = try #require(onlyCall(server))
            #expect(call.body == Array("{}".utf8))
            #expect(me.username == "fake_bot")
            #expect(me.isBot)
        }
    }

    @Test func smallCallsEncodeTheirParameters() async throws {
        try await withClient { bot, server in
            #expect(
                try await bot.answerCallbackQuery(callbackQueryID: "4382bfdwdsb323b2d9", text: "Saved", showAlert: true)
            )
            let edited = try await bot.editMessageText(chatID: 42, messageID: 17, text: "edited")
            try await bot.forwardMessage(chatID: 42, fromChatID: "@source", messageID: 5)
            let updates = try await bot.getUpdates(offset: 100, limit: 10, timeout: 0, allowedUpdates: ["message"])
            #expect(try await bot.deleteMessage(chatID: 42, messageID: 17))
            #expect(updates.isEmpty)
            if case .message(let message) = edited {
                #expect(message.text == "edited")
            } else {
                Issue.record("editMessageText should return the message")
            }

            let calls = server.calls
            #expect(
                calls.map(\.method) == [
                    "answerCallbackQuery", "editMessageText", "forwardMessage", "getUpdates", "deleteMessage",
                ])
            #expect(calls.allSatisfy { $0.contentType == "application/json" })
            #expect(
                calls[0].parameters == ["callback_query_id": "4382bfdwdsb323b2d9", "text": "Saved", "show_alert": true])
            #expect(calls[1].parameters == ["chat_id": 42, "message_id": 17, "text": "edited"])
            #expect(calls[2].parameters == ["chat_id": 42, "from_chat_id": "@source", "message_id": 5])
            #expect(calls[3].parameters == ["offset": 100, "limit": 10, "timeout": 0, "allowed_updates": ["message"]])
            #expect(calls[4].parameters == ["chat_id": 42, "message_id": 17])
            #expect(server.callCount("deleteMessage") == 1)
        }
    }

    @Test func genericCallAndConvenienceAgree() async throws {
        try await withClient { bot, server in
            _ = try await bot.call(SendMessageParameters(chatID: 1, text: "x", parseMode: "HTML"))
            try await bot.sendMessage(chatID: 1, text: "x", parseMode: "HTML")
            let calls = server.calls
            #expect(calls.count == 2)
            #expect(calls[0].parameters == calls[1].parameters)
        }
    }
}
