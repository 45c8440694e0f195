import InMemoryLogging
import Logging
import Synchronization
import TGBotDispatch
import TGBotTesting
import TGBotTypes
import Testing

/// A thread-safe list of events handlers and middleware append to, for asserting order.
final class HandlerEventLog: Sendable {
    private let events = Mutex<[String]>([])
    func append(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}

struct TestFailure: Error, Equatable, CustomStringConvertible {
    var reason: String
    var description: String { "test failure: \(reason)" }
}

@Suite struct DispatcherTests {
    let bot = RecordingBotAPICaller()

    @Test func groupsRunInAscendingOrder() async {
        let log = HandlerEventLog()
        var dispatcher = Dispatcher()
        dispatcher.on(.all, group: 1, name: "g1") { _ in log.append("g1") }
        dispatcher.on(.all, group: -1, name: "g-1") { _ in log.append("g-1") }
        dispatcher.on(.all, group: 0, name: "g0") { _ in log.append("g0") }
        let outcome = await dispatcher.handle(.make(text: "x"), bot: bot)
        #expect(log.all == ["g-1", "g0", "g1"])
        #expect(outcome.status == .handled)
        #expect(outcome.handlerNames == ["g-1", "g0", "g1"])
        #expect(outcome.runs.map(\.group) == [-1, 0, 1])
    }

    @Test func onlyTheFirstMatchingHandlerOfAGroupRuns() async {
        var dispatcher = Dispatcher()
        dispatcher.on(.command, name: "command") { _ in }
        dispatcher.on(.text, name: "text") { _ in }
        dispatcher.on(.all, name: "all") { _ in }
        dispatcher.on(.text, group: 1, name: "later text") { _ in }
        #expect(await dispatcher.handle(.make(text: "plain"), bot: bot).handlerNames == ["text", "later text"])
        #expect(await dispatcher.handle(.make(text: "/go"), bot: bot).handlerNames == ["command", "later text"])
        #expect(await dispatcher.handle(.makeCallback(data: "x"), bot: bot).handlerNames == ["all"])
    }

    @Test func stopPropagationSkipsLaterGroups() async {
        var dispatcher = Dispatcher()
        dispatcher.on(.fromUsers([666]), group: -1, name: "ban") { _ in throw StopPropagation() }
        dispatcher.on(.all, group: 0, name: "main") { _ in }
        let banned = await dispatcher.handle(.make(text: "hi", userID: 666), bot: bot)
        #expect(banned.handlerNames == ["ban"])
        #expect(banned.status == .handled)
        #expect(banned.error == nil)
        #expect(await dispatcher.handle(.make(text: "hi", userID: 1), bot: bot).handlerNames == ["main"])
    }

    @Test func unmatchedUpdateIsUnhandled() async {
        var dispatcher = Dispatcher()
        dispatcher.on(.command, name: "command") { _ in }
        let outcome = await dispatcher.handle(.make(text: "no command"), bot: bot)
        #expect(outcome.status == .unhandled)
        #expect(outcome.runs.isEmpty)
    }

    @Test func errorHandlerReceivesTheErrorAndTheUpdate() async throws {
        let log = HandlerEventLog()
        var dispatcher = Dispatcher()
        dispatcher.on(.text, name: "boom") { _ in throw TestFailure(reason: "boom") }
        dispatcher.on(.all, group: 1, name: "after") { _ in log.append("after") }
        dispatcher.onError { error, context in
            log.append("error \(error.handler) \(error.updateID) \(context.update.updateID) \(error.underlying)")
        }
        dispatcher.onError { _, _ in
            log.append("second")
            throw TestFailure(reason: "error handler fails too")
        }
        let outcome = await dispatcher.handle(.make(text: "x", updateID: 77), bot: bot)
        #expect(log.all == ["error boom 77 77 test failure: boom", "second"])
        #expect(outcome.status == .failed)
        let error = try #require(outcome.error)
        #expect(error.handler == "boom")
        #expect(error.underlying as? TestFailure == TestFailure(reason: "boom"))
        #expect(outcome.runs.map(\.failed) == [true])
    }

    @Test func failureWithoutErrorHandlerIsLoggedWithoutSecrets() async {
        let logs = InMemoryLogHandler()
        let token = Secret("123456:SECRET-TOKEN")
        var dispatcher = Dispatcher(logger: Logger(label: "tgbotd.dispatch") { _ in logs })
        dispatcher.on(.text, name: "leaky") { _ in throw TestFailure(reason: "token \(token)") }
        let outcome = await dispatcher.handle(.make(text: "x", updateID: 9), bot: bot)
        #expect(outcome.status == .failed)
        let errors = logs.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["handler"] == "leaky")
        #expect(errors.first?.metadata["update.id"] == "9")
        #expect(errors.first?.metadata["update.kind"] == "message")
        let everything = logs.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(everything.contains("SECRET-TOKEN") == false)
        #expect(everything.contains("<redacted>"))
    }

    @Test func middlewareWrapsHandlersInRegistrationOrder() async {
        let log = HandlerEventLog()
        var dispatcher = Dispatcher()
        for name in ["a", "b"] {
            dispatcher.use(
                Middleware(name: name) { context, next in
                    log.append("\(name)>")
                    var context = context
                    context.logger[metadataKey: "mw.\(name)"] = "1"
                    try await next(context)
                    log.append("<\(name)")
                })
        }
        dispatcher.on(.all, name: "handler") { context in
            log.append(
                "handler \(context.logger[metadataKey: "mw.a"] != nil) \(context.logger[metadataKey: "mw.b"] != nil)")
        }
        _ = await dispatcher.handle(.make(text: "x"), bot: bot)
        #expect(log.all == ["a>", "b>", "handler true true", "<b", "<a"])
    }

    @Test func middlewareSeesHandlerErrorsAndCanDropUpdates() async {
        let log = HandlerEventLog()
        var dispatcher = Dispatcher()
        dispatcher.use(.allowUsers([1]))
        dispatcher.use(.timing { kind, _, failed in log.append("\(kind) failed=\(failed)") })
        dispatcher.on(.text("fail"), name: "fails") { _ in throw TestFailure(reason: "x") }
        dispatcher.on(.all, name: "ok") { _ in }
        let allowed = await dispatcher.handle(.make(text: "hi", userID: 1), bot: bot)
        let failed = await dispatcher.handle(.make(text: "fail", userID: 1), bot: bot)
        let dropped = await dispatcher.handle(.make(text: "hi", userID: 2), bot: bot)
        #expect(allowed.status == .handled)
        #expect(failed.status == .failed)
        #expect(dropped.status == .unhandled)
        #expect(log.all == ["message failed=false", "message failed=true"])
    }

    @Test func throwingMiddlewareFailsTheUpdateUnderItsName() async {
        var dispatcher = Dispatcher()
        dispatcher.use(Middleware(name: "broken") { _, _ in throw TestFailure(reason: "mw") })
        dispatcher.on(.all, name: "never") { _ in }
        let outcome = await dispatcher.handle(.make(text: "x"), bot: bot)
        #expect(outcome.status == .failed)
        #expect(outcome.error?.handler == "middleware:broken")
        #expect(outcome.runs.isEmpty)
    }

    @Test func concurrentUpdatesShareOneDispatcher() async {
        var dispatcher = Dispatcher()
        dispatcher.message(.text) { context, message in try await context.reply(message.text ?? "") }
        let configured = dispatcher
        let statuses = await withTaskGroup(of: UpdateOutcome.Status.self) { group in
            for index in 0..<200 {
                group.addTask {
                    await configured.handle(.make(text: "n\(index)", updateID: Int64(index)), bot: bot).status
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == .handled })
        #expect(Set(bot.sentTexts).count == 200)
    }
}
