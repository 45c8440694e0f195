import Foundation
import InMemoryLogging
import Logging
import Synchronization
import TGBot
import TGBotHTTP
import TGBotTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plays systemd's side of `$NOTIFY_SOCKET`: a bound Unix datagram socket whose datagrams arrive as an
/// `AsyncStream`. The blocking `recv` runs on its own thread (never the cooperative pool), wakes every 50 ms to
/// check for `stop()`, and gives up after `lifetime`, which also ends the stream, so no await on it can hang.
/// The thread holds the receiver, so the descriptor closes (in `deinit`) only once the thread is done with it.
final class NotifyReceiver: Sendable {
    let fd: Int32
    /// The `$NOTIFY_SOCKET` value that reaches this receiver.
    let notifySocket: String
    let datagrams: AsyncStream<String>
    private let stopped = Atomic<Bool>(false)
    private let path: String?

    /// Binds a socket file in a fresh temporary directory, or an abstract name when `abstract` is true.
    init(abstract: Bool = false, lifetime: Duration = .seconds(30)) throws {
        let unique = "tgbotd-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let name = abstract ? unique : NSTemporaryDirectory() + unique + ".sock"
        path = abstract ? nil : name
        notifySocket = abstract ? "@" + name : name
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw SocketError("socket", errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset + (abstract ? 1 : 0)] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + 1)
        let rc = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw SocketError("bind", errno: code, detail: name)
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        datagrams = stream
        let deadline = ContinuousClock.now + lifetime
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !stopped.load(ordering: .acquiring), ContinuousClock.now < deadline {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 { continuation.yield(String(decoding: buffer[..<count], as: UTF8.self)) }
            }
            continuation.finish()
        }
    }

    /// Stops the receiving thread (within 50 ms) and removes the socket file.
    func stop() {
        stopped.store(true, ordering: .releasing)
        if let path { unlink(path) }
    }

    deinit { close(fd) }
}

private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

extension AsyncStream<String>.Iterator {
    /// The next datagram containing `line` as one of its lines, or nil if the stream ended first.
    mutating func next(containing line: String) async -> String? {
        while let datagram = await next(isolation: #isolation) {
            if datagram.split(separator: "\n").contains(Substring(line)) { return datagram }
        }
        return nil
    }
}

@Suite(.timeLimit(.minutes(1)))
struct SystemdNotifyTests {
    @Test(arguments: [
        ("/run/systemd/notify", SystemdNotifySocket.Address.path("/run/systemd/notify")),
        ("@/org/freedesktop/systemd1/notify/123", .abstract("/org/freedesktop/systemd1/notify/123")),
    ])
    func parsesSupportedNotifySocketForms(value: String, expected: SystemdNotifySocket.Address) throws {
        let socket = try #require(SystemdNotifySocket(value))
        #expect(socket.address == expected)
        #expect(socket.description == value)
    }

    @Test(arguments: ["", "@", "relative/path", "vsock:2:1234", "/" + String(repeating: "x", count: 200)])
    func rejectsUnsupportedNotifySocketForms(value: String) {
        #expect(SystemdNotifySocket(value) == nil)
    }

    @Test(arguments: [
        (["WATCHDOG_USEC": "2000000"], Duration?.some(.seconds(1))),
        (["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(getpid())"], .seconds(1)),
        (["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(getpid() + 1)"], nil),
        (["WATCHDOG_USEC": "0"], nil),
        (["WATCHDOG_USEC": "soon"], nil),
        ([:], nil),
    ])
    func watchdogIntervalIsHalfOfWatchdogUSecForThisProcess(extra: [String: String], expected: Duration?) {
        let environment = extra.merging(["NOTIFY_SOCKET": "/run/systemd/notify"]) { a, _ in a }
        #expect(SystemdNotifier(environment: environment).watchdogInterval == expected)
    }

    @Test func isANoOpWithoutNotifySocket() async {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000"])
        #expect(!notifier.isEnabled)
        #expect(!notifier.notify(.ready))
        await notifier.runWatchdog { true }  // returns at once instead of pinging nobody forever
    }

    @Test func sendsToAPathSocket() async throws {
        let receiver = try NotifyReceiver()
        defer { receiver.stop() }
        var inbox = receiver.datagrams.makeAsyncIterator()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.notify(.ready, .status("two\nlines")))
        #expect(await inbox.next(containing: "READY=1") == "READY=1\nSTATUS=two lines")
    }

    @Test func sendsToAnAbstractSocket() async throws {
        let receiver = try NotifyReceiver(abstract: true)
        defer { receiver.stop() }
        var inbox = receiver.datagrams.makeAsyncIterator()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.notify(.stopping, .extendTimeout(.seconds(3))))
        #expect(await inbox.next(containing: "STOPPING=1") == "STOPPING=1\nEXTEND_TIMEOUT_USEC=3000000")
    }

    @Test func reportsButSurvivesAMissingReceiver() {
        let logs = InMemoryLogHandler()
        let notifier = SystemdNotifier(
            socket: SystemdNotifySocket("/nonexistent-\(getpid())/notify"), logger: Logger(label: "t") { _ in logs })
        #expect(!notifier.notify(.ready))
        #expect(logs.entries.contains { $0.message.description == "Cannot notify systemd" })
    }

    @Test func watchdogWithholdsPingsWhileUnhealthy() async throws {
        let receiver = try NotifyReceiver()
        defer { receiver.stop() }
        var inbox = receiver.datagrams.makeAsyncIterator()
        let notifier = SystemdNotifier(
            socket: SystemdNotifySocket(receiver.notifySocket), watchdogInterval: .milliseconds(5))
        let checks = Counter()
        await withTaskGroup(of: Void.self) { group in
            // Unhealthy for the first three checks, healthy afterwards.
            group.addTask { await notifier.runWatchdog { checks.value.add(1, ordering: .relaxed).newValue > 3 } }
            let ping = await inbox.next(containing: "WATCHDOG=1")
            #expect(ping == "WATCHDOG=1")
            #expect(checks.value.load(ordering: .relaxed) >= 4, "no ping was sent while unhealthy")
            group.cancelAll()
        }
    }

    @Test func applicationSendsReadyWatchdogAndStopping() async throws {
        let receiver = try NotifyReceiver()
        defer { receiver.stop() }
        var inbox = receiver.datagrams.makeAsyncIterator()
        let notifier = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": receiver.notifySocket, "WATCHDOG_USEC": "40000"])
        #expect(notifier.watchdogInterval == .milliseconds(20))
        let configuration = BotApplicationConfiguration(
            http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 1), workers: 1,
            shutdownGracePeriod: .seconds(2))
        let app = BotApplication(
            configuration: configuration, caller: RecordingBotAPICaller(), logger: Logger(label: "test"),
            systemd: notifier
        ) { _, _ in }
        try app.start()
        let ready = try #require(await inbox.next(containing: "READY=1"))
        #expect(ready.contains("STATUS=Accepting updates on 127.0.0.1:\(try #require(app.server.port))"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await app.run() }
            // Two pings prove the watchdog is periodic, not a one-off.
            #expect(await inbox.next(containing: "WATCHDOG=1") != nil)
            #expect(await inbox.next(containing: "WATCHDOG=1") != nil)
            app.beginShutdown()
            #expect(await inbox.next(containing: "STOPPING=1") != nil)
            try await group.waitForAll()
        }
    }
}
