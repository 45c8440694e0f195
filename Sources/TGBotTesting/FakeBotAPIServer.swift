import Foundation
import Logging
import Synchronization
import TGBotHTTP
import TGBotTypes

/// A Bot API server for tests and benchmarks: answers `POST /bot<token>/<method>` on 127.0.0.1 over real HTTP
/// (our own ``HTTPServer``), records every call, and replies through a scripted responder.
///
/// ```swift
/// try await withFakeBotAPIServer { server in
///     let bot = BotClient(token: Secret(server.token), configuration: .init(baseURL: server.baseURL))
///     try await bot.sendMessage(chatID: 42, text: "hi")
///     #expect(server.calls(to: "sendMessage").first?["text"] == "hi")
/// }
/// ```
///
/// Every method of the spec is routed; any other path answers 404, and a wrong token too (the route does not
/// exist), as Telegram does. Without a responder, ``defaultResponse(for:messageID:)`` answers.
///
/// Thread-safety: records live behind a `Mutex`; ``events`` has a single consumer.
public final class FakeBotAPIServer: Sendable {
    /// Produces the answer to one recorded call.
    public typealias Responder = @Sendable (RecordedCall) async -> FakeResponse

    /// A token in Telegram's format, used when none is given.
    public static let defaultToken = "123456:FAKE-bot-api-TOKEN"

    /// The token the routes expect.
    public let token: String
    /// Every recorded call in arrival order, for test code to await one by one (single consumer). Finishes at
    /// ``shutdown()``.
    public let events: AsyncStream<RecordedCall>

    private let server: HTTPServer
    private let log: CallLog
    private let eventSink: AsyncStream<RecordedCall>.Continuation

    /// Creates the server (not yet listening; see ``start()``).
    ///
    /// - Parameters:
    ///   - token: The token in the routes.
    ///   - port: 0 for an ephemeral port.
    ///   - latency: Waits this long before answering each call, to stand in for Telegram's round trip.
    ///   - responder: Answers calls; nil for ``defaultResponse(for:messageID:)``.
    ///   - logger: The HTTP server's logger; silent by default so test output stays readable.
    public init(
        token: String = FakeBotAPIServer.defaultToken, port: Int = 0, latency: Duration = .zero,
        responder: Responder? = nil,
        logger: Logger = Logger(label: "tgbotd.fake-bot-api", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.token = token
        let log = CallLog()
        let (events, eventSink) = AsyncStream<RecordedCall>.makeStream()
        let respond: Responder =
            responder ?? { call in FakeBotAPIServer.defaultResponse(for: call, messageID: log.nextMessageID()) }
        var router = Router()
        for method in BotAPISpec.methodNames {
            router.on(.post, "/bot\(token)/\(method)") { request in
                let call = FakeBotAPIServer.record(method: method, request: request)
                log.calls.withLock { $0.append(call) }
                eventSink.yield(call)
                if latency > .zero { try? await Task.sleep(for: latency) }
                let answer = await respond(call)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: answer.contentType)
                return HTTPResponse(status: HTTPStatus(code: answer.status), headers: headers, body: answer.body)
            }
        }
        var configuration = HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: port)], ioThreads: 1)
        configuration.limits.maxBodyBytes = 64 * 1024 * 1024
        server = HTTPServer(configuration: configuration, router: router, logger: logger)
        self.log = log
        self.events = events
        self.eventSink = eventSink
    }

    /// Binds and starts serving.
    ///
    /// - Throws: `SocketError` when the port cannot be bound.
    public func start() throws {
        try server.start()
    }

    /// Stops serving, letting in-flight calls finish for up to `gracePeriod`, and finishes ``events``.
    public func shutdown(gracePeriod: Duration = .seconds(2)) async {
        await server.shutdown(gracePeriod: gracePeriod)
        eventSink.finish()
    }

    /// The bound port (after ``start()``).
    public var port: Int { server.port ?? 0 }

    /// `http://127.0.0.1:<port>`: the base URL for a client.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Every call so far, in arrival order.
    public var calls: [RecordedCall] { log.calls.withLock { $0 } }

    /// The calls to `method` so far, in arrival order.
    public func calls(to method: String) -> [RecordedCall] { log.calls.withLock { $0.filter { $0.method == method } } }

    /// How many calls to `method` arrived.
    public func callCount(_ method: String) -> Int { log.calls.withLock { $0.count { $0.method == method } } }

    /// The number of calls per method.
    public var callCounts: [String: Int] {
        log.calls.withLock { calls in calls.reduce(into: [:]) { $0[$1.method, default: 0] += 1 } }
    }

    /// Forgets the recorded calls (counts included), e.g. between benchmark phases.
    public func removeAllCalls() { log.calls.withLock { $0.removeAll() } }

    static func record(method: String, request: HTTPRequest) -> RecordedCall {
        let contentType = request.headers["Content-Type"]
        var call = RecordedCall(method: method, contentType: contentType, body: request.body, parameters: nil)
        if let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = MultipartFormParser.boundary(fromContentType: contentType),
            let parts = try? MultipartFormParser.parse(request.body, boundary: boundary)
        {
            var parameters: [String: JSONValue] = [:]
            for part in parts {
                if part.filename != nil {
                    call.files[part.name] = RecordedFile(
                        filename: part.filename, contentType: part.contentType, data: part.data)
                } else {
                    let text = String(decoding: part.data, as: UTF8.self)
                    call.fields[part.name] = text
                    parameters[part.name] = (try? JSONValue(parsing: part.data)) ?? .string(text)
                }
            }
            call.parameters = .object(parameters)
        } else if request.body.isEmpty {
            call.parameters = .object([:])
        } else {
            call.parameters = try? JSONValue(parsing: request.body)
        }
        return call
    }
}

/// Runs `body` against a started ``FakeBotAPIServer`` on 127.0.0.1 and shuts it down afterwards, even when
/// `body` throws.
public func withFakeBotAPIServer<T>(
    token: String = FakeBotAPIServer.defaultToken, latency: Duration = .zero,
    responder: FakeBotAPIServer.Responder? = nil,
    _ body: (FakeBotAPIServer) async throws -> T
) async throws -> T {
    let server = FakeBotAPIServer(token: token, latency: latency, responder: responder)
    try server.start()
    do {
        let result = try await body(server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// The shared, lock-protected record of calls (a class, so the route closures can capture it).
private final class CallLog: Sendable {
    let calls = Mutex<[RecordedCall]>([])
    private let messageIDs = Atomic<Int64>(0)

    /// 1, 2, 3, … across all calls.
    func nextMessageID() -> Int64 { messageIDs.add(1, ordering: .relaxed).newValue }
}
