import Foundation
import Synchronization
import TGBotAPI
import TGBotTypes

/// A ``TGBotAPI/BotAPICaller`` test double that records every call and answers without a network.
///
/// Each call is recorded as its method name and its parameters encoded to JSON exactly as a client would send
/// them. Answers, in order of precedence:
/// 1. a scripted answer for the method (``script(_:_:)``), consumed first-in first-out;
/// 2. for methods returning a `Message` (`sendMessage`, `sendPhoto`, …), a plausible message in the target chat
///    with an increasing `message_id` and the call's `text` or `caption`;
/// 3. the first of `true`, `{}`, `[]`, `0`, `""` that decodes as the method's result type.
///
/// Safe to use from any number of tasks at once.
public final class RecordingBotAPICaller: BotAPICaller {
    /// One recorded call.
    public struct Call: Sendable, Hashable {
        /// The Bot API method name, e.g. `sendMessage`.
        public var method: String
        /// The parameters as JSON (file uploads appear as their `attach://` references).
        public var parameters: JSONValue
    }

    /// A scripted answer.
    public enum Answer: Sendable {
        /// The call succeeds with this JSON as its `result`.
        case result(JSONValue)
        /// The call throws this error.
        case failure(any Error)
    }

    /// The caller cannot make up a result of the method's type; script one with ``script(_:_:)``.
    public struct NoDefaultAnswer: Error, CustomStringConvertible {
        /// The method called.
        public var method: String
        public var description: String { "\(method): no default answer for its result type; script one" }
    }

    private struct State {
        var calls: [Call] = []
        var scripted: [String: [Answer]] = [:]
        var nextMessageID: Int64 = 1000
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Creates a caller with no calls recorded and nothing scripted.
    public init() {}

    /// Queues `answer` for the next call of `method` that has no earlier queued answer.
    public func script(_ method: String, _ answer: Answer) {
        state.withLock { $0.scripted[method, default: []].append(answer) }
    }

    /// Every call so far, in the order they were made.
    public var calls: [Call] { state.withLock { $0.calls } }

    /// The calls of one method, in order.
    public func calls(to method: String) -> [Call] { calls.filter { $0.method == method } }

    /// Returns once at least `count` calls have been recorded — for calls made by work a handler spawned, which
    /// the test cannot otherwise await. Put a `.timeLimit` on tests that use it.
    public func waitForCalls(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isDone = state.withLock { state -> Bool in
                guard state.calls.count < count else { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if isDone { continuation.resume() }
        }
    }

    /// The `text` of every `sendMessage` call, in order.
    public var sentTexts: [String] { calls(to: "sendMessage").compactMap { $0.parameters["text"]?.stringValue } }

    public func call<Method: BotMethod>(_ method: Method) async throws -> Method.Response {
        let parameters = try JSONValue(parsing: Array(JSONEncoder().encode(method)))
        let name = Method.methodName
        let (answer, messageID, ready) = state.withLock { state in
            state.calls.append(Call(method: name, parameters: parameters))
            state.nextMessageID += 1
            let answer = state.scripted[name]?.isEmpty == false ? state.scripted[name]?.removeFirst() : nil
            let total = state.calls.count
            let ready = state.waiters.filter { $0.count <= total }.map(\.continuation)
            state.waiters.removeAll { $0.count <= total }
            return (answer, state.nextMessageID, ready)
        }
        for waiter in ready { waiter.resume() }
        switch answer {
        case .failure(let error)?:
            throw error
        case .result(let result)?:
            return try Self.decode(Method.Response.self, from: result)
        case nil:
            if Method.Response.self == Message.self {
                return try Self.decode(Method.Response.self, from: Self.message(id: messageID, for: parameters))
            }
            for candidate: JSONValue in [true, [:], [], 0, ""] {
                if let value = try? Self.decode(Method.Response.self, from: candidate) { return value }
            }
            throw NoDefaultAnswer(method: name)
        }
    }

    /// A message as Telegram would return it for a send call with `parameters`.
    private static func message(id: Int64, for parameters: JSONValue) -> JSONValue {
        let chatID = parameters["chat_id"]?.int64Value ?? 0
        var message: [String: JSONValue] = [
            "message_id": .integer(id), "date": 1_700_000_000,
            "chat": ["id": .integer(chatID), "type": chatID < 0 ? "supergroup" : "private"],
            "from": ["id": 1, "is_bot": true, "first_name": "Test Bot", "username": "test_bot"],
        ]
        if let text = parameters["text"] { message["text"] = text }
        if let caption = parameters["caption"] { message["caption"] = caption }
        return .object(message)
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, from json: JSONValue) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(json))
    }
}
