import TGBotTypes
import Testing

struct UpdateIDsTests {
    /// kind → (chat id, user id) expected from the fixtures.
    static let expectations: [(String, Int64?, Int64?)] = [
        ("message", 123_456_789, 123_456_789),
        ("channel_post", -1_009_876_543_210, nil),
        ("business_connection", 7_012_345_678, 7_012_345_678),
        ("deleted_business_messages", 7_012_345_678, nil),
        ("message_reaction", -1_001_234_567_890, 123_456_789),
        ("message_reaction_count", -1_009_876_543_210, nil),
        ("inline_query", nil, 123_456_789),
        ("chosen_inline_result", nil, 123_456_789),
        ("callback_query", -1_001_234_567_890, 123_456_789),
        ("shipping_query", nil, 123_456_789),
        ("pre_checkout_query", nil, 123_456_789),
        ("purchased_paid_media", nil, 123_456_789),
        ("poll", nil, nil),
        ("poll_answer", nil, 123_456_789),
        ("my_chat_member", -1_001_234_567_890, 123_456_789),
        ("chat_member", -1_001_234_567_890, 123_456_789),
        ("chat_join_request", -1_001_234_567_890, 7_012_345_678),
        ("chat_boost", -1_009_876_543_210, 7_012_345_678),
        ("removed_chat_boost", -1_009_876_543_210, 7_012_345_678),
        ("managed_bot", nil, 123_456_789),
    ]

    @Test(arguments: expectations)
    func extractsChatAndUserOfKind(_ name: String, _ chatID: Int64?, _ userID: Int64?) throws {
        let update = try Update(jsonBytes: try fixture("updates/\(name).json"))
        #expect(update.chatID == chatID)
        #expect(update.userID == userID)
    }

    @Test func messageAccessorCoversMessageLikeKinds() throws {
        for name in [
            "message", "edited_message", "channel_post", "edited_channel_post", "business_message",
            "edited_business_message", "guest_message",
        ] {
            let update = try Update(jsonBytes: try fixture("updates/\(name).json"))
            #expect(update.message != nil, "\(name)")
        }
        #expect(try Update(jsonBytes: try fixture("updates/poll.json")).message == nil)
    }

    @Test func unknownKindHasNoIDs() throws {
        let update = try update(#"{"update_id": 5, "subscription": {"chat": {"id": 1}, "from": {"id": 2}}}"#)
        #expect(update.chatID == nil)
        #expect(update.userID == nil)
    }
}
