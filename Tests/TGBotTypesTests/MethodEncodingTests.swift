import Foundation
import TGBotTypes
import Testing

struct MethodEncodingTests {
    func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try makeEncoder().encode(value), as: UTF8.self)
    }

    @Test func sendMessageEncodesSnakeCaseAndOmitsNil() throws {
        let call = SendMessageParameters(
            chatID: 42, text: "hi", messageThreadID: 7,
            replyMarkup: .inlineKeyboard(
                InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "A", callbackData: "a")]])))
        #expect(SendMessageParameters.methodName == "sendMessage")
        #expect(
            try json(call)
                == #"{"chat_id":42,"message_thread_id":7,"reply_markup":{"inline_keyboard":[[{"callback_data":"a","text":"A"}]]},"text":"hi"}"#
        )
        #expect(call.uploads.isEmpty)
    }

    @Test func fileParametersReferenceUploadsByAttachName() throws {
        let file = InputFile(attachmentName: "photo1", filename: "cat.jpg", contentType: "image/jpeg", data: Data([1]))
        let call = SendPhotoParameters(chatID: 1, photo: .upload(file), caption: "cat")
        #expect(try json(call) == #"{"caption":"cat","chat_id":1,"photo":"attach://photo1"}"#)
        #expect(call.uploads == [file])
        let byID = SendPhotoParameters(chatID: 1, photo: .fileID("AgACAgIAAx"))
        #expect(try json(byID) == #"{"chat_id":1,"photo":"AgACAgIAAx"}"#)
        #expect(byID.uploads.isEmpty)
    }

    @Test func mediaGroupCarriesAttachments() throws {
        let file = InputFile(attachmentName: "p1", data: Data([1, 2, 3]))
        let call = SendMediaGroupParameters(
            chatID: "@channel", media: [.photo(InputMediaPhoto(media: file.attachReference))], attachments: [file])
        #expect(try json(call) == #"{"chat_id":"@channel","media":[{"media":"attach://p1","type":"photo"}]}"#)
        #expect(call.uploads == [file])
    }

    @Test func parameterlessMethodEncodesEmptyObject() throws {
        #expect(try json(GetMeParameters()) == "{}")
        #expect(GetUpdatesParameters.methodName == "getUpdates")
    }

    @Test func editMethodsReturnMessageOrTrue() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(EditMessageTextParameters.Response.self, from: Data("true".utf8)) == .success)
        let message = #"{"message_id": 1, "date": 2, "chat": {"id": 3, "type": "private"}}"#
        guard case .message(let edited) = try decoder.decode(MessageOrTrue.self, from: Data(message.utf8)) else {
            Issue.record("expected a message")
            return
        }
        #expect(edited.chat.id == 3)
        #expect(throws: DecodingError.self) { try decoder.decode(MessageOrTrue.self, from: Data("false".utf8)) }
    }
}
