import Foundation
import TGBotTypes
import Testing

struct UnionDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static let user = #"{"id": 1, "is_bot": false, "first_name": "A"}"#

    @Test(arguments: [
        ("creator", "owner"), ("administrator", "administrator"), ("member", "member"),
        ("restricted", "restricted"), ("left", "left"), ("kicked", "banned"),
    ])
    func discriminatesChatMemberByStatus(_ status: String, _ expected: String) throws {
        // Only the fields every variant needs are given, so a mismatch between tag and variant would throw.
        let json = """
            {"status": "\(status)", "user": \(Self.user), "is_anonymous": false, "until_date": 0,
             "can_be_edited": false, "can_manage_chat": true, "can_delete_messages": true,
             "can_manage_video_chats": true, "can_restrict_members": true, "can_promote_members": false,
             "can_change_info": true, "can_invite_users": true, "can_post_stories": false, "can_edit_stories": false,
             "can_delete_stories": false, "is_member": true, "can_send_messages": true, "can_send_audios": true,
             "can_send_documents": true, "can_send_photos": true, "can_send_videos": true,
             "can_send_video_notes": true, "can_send_voice_notes": true, "can_send_polls": true,
             "can_send_other_messages": true, "can_add_web_page_previews": true, "can_pin_messages": true,
             "can_manage_topics": true, "can_edit_tag": true, "can_react_to_messages": true}
            """
        let member = try decode(ChatMember.self, json)
        let name: String
        switch member {
        case .owner: name = "owner"
        case .administrator: name = "administrator"
        case .member: name = "member"
        case .restricted: name = "restricted"
        case .left: name = "left"
        case .banned: name = "banned"
        case .unknown: name = "unknown"
        }
        #expect(name == expected)
    }

    @Test func unknownVariantKeepsRawAndReencodesIt() throws {
        let json = #"{"type": "hologram", "depth": 3, "ids": [9007199254740993]}"#
        let origin = try decode(MessageOrigin.self, json)
        #expect(origin == .unknown(["type": "hologram", "depth": 3, "ids": [9_007_199_254_740_993]]))
        let again = try decode(MessageOrigin.self, String(decoding: try makeEncoder().encode(origin), as: UTF8.self))
        #expect(again == origin)
    }

    @Test func missingTagIsUnknownNotAnError() throws {
        #expect(try decode(ReactionType.self, #"{"emoji": "👍"}"#) == .unknown(["emoji": "👍"]))
    }

    @Test func inaccessibleMessageHasDateZero() throws {
        let chat = #"{"id": -100123, "type": "supergroup"}"#
        let gone = try decode(MaybeInaccessibleMessage.self, #"{"chat": \#(chat), "message_id": 5, "date": 0}"#)
        guard case .inaccessibleMessage(let message) = gone else {
            Issue.record("expected inaccessible, got \(gone)")
            return
        }
        #expect(message.messageID == 5)
        let live = try decode(MaybeInaccessibleMessage.self, #"{"chat": \#(chat), "message_id": 5, "date": 9}"#)
        guard case .message(let full) = live else {
            Issue.record("expected message, got \(live)")
            return
        }
        #expect(full.date == 9)
    }

    @Test func cachedAndURLInlineResultsShareATagButNotAShape() throws {
        let cached = try decode(InlineQueryResult.self, #"{"type": "photo", "id": "1", "photo_file_id": "F"}"#)
        let byURL = try decode(
            InlineQueryResult.self,
            #"{"type": "photo", "id": "2", "photo_url": "https://e.org/p.jpg", "thumbnail_url": "https://e.org/t.jpg"}"#
        )
        guard case .cachedPhoto(let photo) = cached, case .photo(let other) = byURL else {
            Issue.record("got \(cached) and \(byURL)")
            return
        }
        #expect(photo.photoFileID == "F")
        #expect(other.photoURL == "https://e.org/p.jpg")
    }

    @Test(arguments: [
        (#"{"message_text": "hi"}"#, "text"),
        (#"{"latitude": 1.5, "longitude": 2.5}"#, "location"),
        (#"{"latitude": 1.5, "longitude": 2.5, "title": "Cafe", "address": "Main St"}"#, "venue"),
        (#"{"phone_number": "+100", "first_name": "A"}"#, "contact"),
        (#"{"title": "T", "description": "D", "payload": "p", "currency": "XTR", "prices": []}"#, "invoice"),
        (#"{"something_new": true}"#, "unknown"),
    ])
    func decodesInputMessageContentByShape(_ json: String, _ expected: String) throws {
        let content = try decode(InputMessageContent.self, json)
        let name: String
        switch content {
        case .text: name = "text"
        case .rich: name = "rich"
        case .location: name = "location"
        case .venue: name = "venue"
        case .contact: name = "contact"
        case .invoice: name = "invoice"
        case .unknown: name = "unknown"
        }
        #expect(name == expected)
    }

    @Test func richTextIsStringArrayOrObject() throws {
        let text = try decode(RichText.self, #"["plain ", {"type": "bold", "text": ["x", {"type": "zap"}]}]"#)
        guard case .concatenation(let parts) = text, parts.count == 2, case .plain("plain ") = parts[0],
            case .bold(let bold) = parts[1], case .concatenation(let inner) = bold.text
        else {
            Issue.record("unexpected \(text)")
            return
        }
        #expect(inner == [.plain("x"), .unknown(["type": "zap"])])
        try assertRoundTrip(text)
    }

    @Test func knownVariantWithBrokenPayloadThrows() {
        #expect(throws: DecodingError.self) {
            try decode(ReactionType.self, #"{"type": "custom_emoji"}"#)
        }
    }
}
