import TGBotDispatch
import TGBotTypes
import Testing

/// One update kind and the key each built-in policy must give it.
struct OrderingKeyCase: Sendable, CustomTestStringConvertible {
    var name: String
    var json: String
    var byChat: OrderingKey
    var byUser: OrderingKey
    /// Whether the JSON is deliberately not a typed kind (unknown or undecodable).
    var isTyped = true

    var testDescription: String { name }
}

private let user7 = #"{"id":7,"is_bot":false,"first_name":"A"}"#
private let user8 = #"{"id":8,"is_bot":false,"first_name":"B"}"#
private let group = #"{"id":-100,"type":"supergroup","title":"G"}"#

private let cases: [OrderingKeyCase] = [
    .init(
        name: "group message",
        json: #"{"update_id":1,"message":{"message_id":1,"date":0,"chat":\#(group),"from":\#(user7),"text":"hi"}}"#,
        byChat: .chat(-100), byUser: .user(7)),
    .init(
        name: "private message",
        json: #"{"update_id":2,"message":{"message_id":1,"date":0,"chat":{"id":7,"type":"private"},"from":\#(user7)}}"#,
        byChat: .chat(7), byUser: .user(7)),
    .init(
        name: "edited message",
        json: #"{"update_id":3,"edited_message":{"message_id":1,"date":0,"chat":\#(group),"from":\#(user7)}}"#,
        byChat: .chat(-100), byUser: .user(7)),
    .init(
        name: "channel post without sender",
        json: #"{"update_id":4,"channel_post":{"message_id":1,"date":0,"chat":{"id":-200,"type":"channel"}}}"#,
        byChat: .chat(-200), byUser: .chat(-200)),
    .init(
        name: "callback query on a message",
        json:
            #"{"update_id":5,"callback_query":{"id":"q","from":\#(user8),"chat_instance":"c","message":{"message_id":1,"date":0,"chat":\#(group)}}}"#,
        byChat: .chat(-100), byUser: .user(8)),
    .init(
        name: "callback query on an inline message",
        json:
            #"{"update_id":6,"callback_query":{"id":"q","from":\#(user8),"chat_instance":"c","inline_message_id":"i"}}"#,
        byChat: .user(8), byUser: .user(8)),
    .init(
        name: "inline query",
        json: #"{"update_id":7,"inline_query":{"id":"q","from":\#(user7),"query":"x","offset":""}}"#,
        byChat: .user(7), byUser: .user(7)),
    .init(
        name: "chosen inline result",
        json: #"{"update_id":8,"chosen_inline_result":{"result_id":"r","from":\#(user7),"query":"x"}}"#,
        byChat: .user(7), byUser: .user(7)),
    .init(
        name: "pre-checkout query",
        json:
            #"{"update_id":9,"pre_checkout_query":{"id":"p","from":\#(user8),"currency":"XTR","total_amount":1,"invoice_payload":"x"}}"#,
        byChat: .user(8), byUser: .user(8)),
    .init(
        name: "chat join request",
        json: #"{"update_id":10,"chat_join_request":{"chat":\#(group),"from":\#(user7),"user_chat_id":7,"date":0}}"#,
        byChat: .chat(-100), byUser: .user(7)),
    .init(
        name: "reaction count",
        json: #"{"update_id":11,"message_reaction_count":{"chat":\#(group),"message_id":1,"date":0,"reactions":[]}}"#,
        byChat: .chat(-100), byUser: .chat(-100)),
    .init(
        name: "poll answer by a user",
        json:
            #"{"update_id":12,"poll_answer":{"poll_id":"p","option_ids":[0],"option_persistent_ids":["a"],"user":\#(user8)}}"#,
        byChat: .user(8), byUser: .user(8)),
    .init(
        name: "anonymous poll answer by a chat",
        json:
            #"{"update_id":13,"poll_answer":{"poll_id":"p","option_ids":[0],"option_persistent_ids":["a"],"voter_chat":{"id":-400,"type":"channel"}}}"#,
        byChat: .chat(-400), byUser: .chat(-400)),
    .init(
        name: "unknown kind", json: #"{"update_id":14,"subscription":{"chat":{"id":5}}}"#,
        byChat: .global, byUser: .global, isTyped: false),
    .init(
        name: "undecodable message", json: #"{"update_id":15,"message":{"message_id":"not a number"}}"#,
        byChat: .global, byUser: .global, isTyped: false),
]

struct OrderingKeyTests {
    private func decode(_ row: OrderingKeyCase) throws -> Update {
        let update = try Update(jsonBytes: Array(row.json.utf8))
        switch update.kind {
        case .unknown, .undecodable:
            #expect(!row.isTyped, "fixture does not decode to a typed kind: \(update.kind)")
        default:
            #expect(row.isTyped)
        }
        return update
    }

    @Test(arguments: cases)
    func chatPolicyKeysByChatThenUserThenGlobal(_ row: OrderingKeyCase) throws {
        #expect(OrderingPolicy.chat.key(for: try decode(row)) == row.byChat)
    }

    @Test(arguments: cases)
    func userPolicyKeysByUserThenChatThenGlobal(_ row: OrderingKeyCase) throws {
        #expect(OrderingPolicy.user.key(for: try decode(row)) == row.byUser)
    }

    @Test(arguments: cases)
    func unorderedPolicyNeverOrders(_ row: OrderingKeyCase) throws {
        let key = OrderingPolicy.unordered.key(for: try decode(row))
        #expect(key == .unordered)
        #expect(OrderingPolicy.none.key(for: try decode(row)) == .unordered)
        #expect(!key.isOrdered)
    }

    @Test func customPolicyUsesTheFunction() throws {
        let policy = OrderingPolicy.custom { update in update.updateID.isMultiple(of: 2) ? .global : .unordered }
        #expect(policy.key(for: Update(updateID: 2, kind: .unknown(name: "x", raw: .null))) == .global)
        #expect(policy.key(for: Update(updateID: 3, kind: .unknown(name: "x", raw: .null))) == .unordered)
        #expect(policy.name == "custom")
    }

    @Test(arguments: [("chat", "chat"), ("USER", "user"), ("none", "unordered"), ("unordered", "unordered")])
    func builtInPoliciesParseFromConfigurationNames(_ name: String, _ expected: String) throws {
        #expect(try #require(OrderingPolicy(configurationName: name)).name == expected)
    }

    @Test func unknownConfigurationNameIsRejected() {
        #expect(OrderingPolicy(configurationName: "topic") == nil)
    }

    @Test func keysDescribeThemselvesAndKeepChatAndUserApart() {
        #expect(OrderingKey.chat(-100).description == "chat:-100")
        #expect(OrderingKey.user(7).description == "user:7")
        #expect(OrderingKey.global.description == "global")
        #expect(OrderingKey.chat(7) != OrderingKey.user(7))
        #expect(OrderingKey.global.isOrdered)
    }
}
