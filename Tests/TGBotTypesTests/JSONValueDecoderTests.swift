import Foundation
import TGBotTypes
import Testing

/// `JSONValueDecoder` must agree with `JSONDecoder`: the same value for valid input, and the same
/// `DecodingError` case at the same coding path for invalid input (handlers and `undecodable` reasons show it),
/// except that a number too large for its type names the member's path where `JSONDecoder`'s path is empty.
struct JSONValueDecoderTests {
    /// A hand-written `Codable` type, so the `Decoder` path (not the generated tape initializers) is exercised.
    struct Probe: Codable, Hashable {
        var small: Int8
        var ratio: Double
        var flag: Bool?
        var list: [Int]
        var nested: [String: Int]?
        var any: JSONValue?
        var tail: [[UInt16]]?
    }

    /// The outcome of one decoding, comparable across decoders.
    enum Outcome<T: Hashable>: Hashable, CustomStringConvertible {
        case value(T)
        case failure(kind: String, path: String)

        init(_ body: () throws -> T) {
            do {
                self = .value(try body())
            } catch let error as DecodingError {
                let (kind, context): (String, DecodingError.Context) =
                    switch error {
                    case .keyNotFound(let key, let context): ("keyNotFound(\(key.stringValue))", context)
                    case .typeMismatch(_, let context): ("typeMismatch", context)
                    case .valueNotFound(_, let context): ("valueNotFound", context)
                    case .dataCorrupted(let context): ("dataCorrupted", context)
                    @unknown default: ("unknown", .init(codingPath: [], debugDescription: ""))
                    }
                let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                self = .failure(kind: kind, path: path.joined(separator: "."))
            } catch {
                self = .failure(kind: "\(error)", path: "")
            }
        }

        var description: String {
            switch self {
            case .value(let value): "value \(value)"
            case .failure(let kind, let path): "\(kind) at '\(path)'"
            }
        }
    }

    static func compare<T: Codable & Hashable>(_ type: T.Type, _ json: String) throws {
        let bytes = Array(json.utf8)
        let tree = try JSONValue(parsing: bytes)
        let foundation = Outcome { try JSONDecoder().decode(T.self, from: Data(bytes)) }
        let ours = Outcome { try JSONValueDecoder().decode(T.self, from: tree) }
        if case .failure("dataCorrupted", let path) = ours, case .failure("dataCorrupted", "") = foundation {
            // A number that does not fit: JSONDecoder reports it with an empty path; ours names the member.
            #expect(!path.isEmpty)
        } else {
            #expect(ours == foundation, "\(T.self) from \(json)")
        }
    }

    @Test(arguments: [
        #"{"small": 5, "ratio": 1, "list": [1, 2], "nested": {"a": 1}, "any": {"x": [true, null]}, "tail": [[1], []]}"#,
        #"{"small": -128, "ratio": 2.5e3, "flag": null, "list": []}"#,
        #"{"small": 300, "ratio": 1, "list": []}"#,
        #"{"small": 1, "ratio": "1", "list": []}"#,
        #"{"small": 1, "ratio": null, "list": []}"#,
        #"{"small": 1, "list": []}"#,
        #"{"small": 1, "ratio": 1, "list": [1, "2"]}"#,
        #"{"small": 1, "ratio": 1, "list": [1, null]}"#,
        #"{"small": 1, "ratio": 1, "list": {}}"#,
        #"{"small": 1, "ratio": 1, "flag": 1, "list": []}"#,
        #"{"small": 1, "ratio": 1, "list": [], "nested": {"a": "b"}}"#,
        #"{"small": 1, "ratio": 1, "list": [], "tail": [[1], [70000]]}"#,
        #"[1, 2]"#,
        #"null"#,
    ])
    func handWrittenTypeAgreesWithJSONDecoder(_ json: String) throws {
        try Self.compare(Probe.self, json)
    }

    static let user = #""from": {"id": 7, "is_bot": false, "first_name": "Ada"}"#
    static let chat = #""chat": {"id": 7, "type": "private"}"#

    @Test(arguments: [
        #"{"message_id": 1, "date": 2, \#(chat), \#(user), "text": "hi", "entities": [{"type": "bold", "offset": 0, "length": 2}]}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "text": 12345}"#,
        #"{"message_id": 1, \#(chat)}"#,
        #"{"message_id": null, "date": 2, \#(chat)}"#,
        #"{"message_id": 1, "date": 2, "chat": {"id": "x", "type": "private"}}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "entities": [{"type": "bold", "offset": 0, "length": 2}, {"type": "bold"}]}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "from": {"id": 7, "is_bot": "no", "first_name": "A"}}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "reply_to_message": {"message_id": 2, "date": 1, "chat": 5}}"#,
        #"{"message_id": 1.0, "date": 2, \#(chat)}"#,
        #"{"message_id": 1.5, "date": 2, \#(chat)}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "forward_origin": {"type": "user", "date": 1, "sender_user": {"id": 1, "is_bot": false, "first_name": "B"}}}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "forward_origin": {"type": "user", "date": 1}}"#,
        #"{"message_id": 1, "date": 2, \#(chat), "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}], [{"text": 1}]]}}"#,
        #""message""#,
    ])
    func generatedTypeAgreesWithJSONDecoder(_ json: String) throws {
        try Self.compare(Message.self, json)
    }

    @Test func jsonValueMembersAreHandedOverAsParsed() throws {
        let tree = try JSONValue(parsing: Array(#"{"a": [1, 2.5, "x", null, {"b": true}]}"#.utf8))
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: tree) == tree)
        #expect(try JSONValueDecoder().decode([String: JSONValue].self, from: tree) == tree.objectValue)
        #expect(try tree.decode(as: [String: [JSONValue]].self)["a"]?.count == 5)
    }

    @Test func userInfoReachesHandWrittenTypes() throws {
        struct ReadsUserInfo: Decodable {
            static let key = CodingUserInfoKey(rawValue: "test.key")!
            var seen: String?
            init(from decoder: any Decoder) throws { seen = decoder.userInfo[Self.key] as? String }
        }
        var decoder = JSONValueDecoder()
        decoder.userInfo[ReadsUserInfo.key] = "here"
        #expect(try decoder.decode(ReadsUserInfo.self, from: .object([:])).seen == "here")
    }
}
