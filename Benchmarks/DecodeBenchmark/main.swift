import Foundation
import TGBotTypes

// tgbotd-bench-decode: decoding throughput of `Update(jsonBytes:)` for two representative bodies.
// Run through scripts/bench-decode (release build). Prints updates/s; numbers are for reports, never asserts.

let textMessage = #"""
    {"update_id": 987654321, "message": {"message_id": 4242, "from": {"id": 123456789, "is_bot": false,
    "first_name": "Ada", "last_name": "Lovelace", "username": "ada", "language_code": "en"},
    "chat": {"id": 123456789, "first_name": "Ada", "last_name": "Lovelace", "username": "ada", "type": "private"},
    "date": 1767225600, "text": "Hello there, could you remind me about the meeting tomorrow at 10?"}}
    """#

func makeCallbackQuery() -> String {
    var rows: [String] = []
    for row in 0..<8 {
        var buttons: [String] = []
        for column in 0..<3 {
            buttons.append(
                #"{"text": "Option \#(row)-\#(column) ✅", "callback_data": "pick:\#(row):\#(column):abcdef"}"#)
        }
        rows.append("[" + buttons.joined(separator: ", ") + "]")
    }
    rows.append(
        #"[{"text": "Docs", "url": "https://example.org/docs/page?x=1"}, {"text": "Share", "switch_inline_query": "q"}]"#
    )
    let entities = (0..<10).map { #"{"type": "bold", "offset": \#($0 * 10), "length": 5}"# }.joined(separator: ", ")
    let text = String(repeating: "Line of text with emoji 🎉 and words. ", count: 12)
    let chat =
        #"{"id": -1001234567890, "title": "Swift on Server", "username": "swiftserver", "type": "supergroup", "is_forum": true}"#
    let bot = #"{"id": 6000000001, "is_bot": true, "first_name": "Echo", "username": "echo_bot"}"#
    let user =
        #"{"id": 7012345678, "is_bot": false, "first_name": "Grace", "username": "grace_h", "language_code": "en", "is_premium": true}"#
    let reply = #"{"message_id": 100, "from": \#(user), "chat": \#(chat), "date": 1767225000, "text": "/menu"}"#
    return #"""
        {"update_id": 987654322, "callback_query": {"id": "4382bfdwdsb323b2d9", "from": \#(user),
        "message": {"message_id": 101, "from": \#(bot), "chat": \#(chat), "date": 1767225600,
        "message_thread_id": 7, "reply_to_message": \#(reply), "text": "\#(text)", "entities": [\#(entities)],
        "reply_markup": {"inline_keyboard": [\#(rows.joined(separator: ", "))]}},
        "chat_instance": "-8234767897765", "data": "pick:3:1:abcdef"}}
        """#
}

@inline(never)
func consume(_ update: Update) -> Int64 { update.updateID &+ (update.chatID ?? 0) }

func measure(_ label: String, body: String, seconds: Double = 2) {
    let bytes = Array(body.utf8)
    var checksum: Int64 = 0
    // Warm up and check the body decodes to a typed kind.
    for _ in 0..<200 { checksum &+= consume(try! Update(jsonBytes: bytes)) }
    if case .undecodable(_, _, let error) = (try! Update(jsonBytes: bytes)).kind { fatalError(error) }
    let clock = ContinuousClock()
    var count = 0
    let start = clock.now
    var elapsed = Duration.zero
    while elapsed < .seconds(seconds) {
        for _ in 0..<200 { checksum &+= consume(try! Update(jsonBytes: bytes)) }
        count += 200
        elapsed = clock.now - start
    }
    let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(count) / total
    let perUpdate = total / Double(count) * 1e6
    print(
        "\(label): \(bytes.count) bytes, \(Int(rate)) updates/s (\(String(format: "%.1f", perUpdate)) µs each)"
            + " [checksum \(checksum & 0xFF)]")
}

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 2
measure("text message         ", body: textMessage, seconds: seconds)
measure("callback_query + kbd ", body: makeCallbackQuery(), seconds: seconds)
