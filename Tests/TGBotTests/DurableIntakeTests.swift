import Foundation
import Logging
import Synchronization
import TGBot
import TGBotHTTP
import TGBotStore
import TGBotTesting
import TGBotTypes
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A private-chat text message in chat `chat`, padded with `padding` bytes of text.
private func update(_ updateID: Int64, chat: Int64 = 7, padding: Int = 0) -> String {
    let text = "hi" + String(repeating: "x", count: padding)
    return
        #"{"update_id":\#(updateID),"message":{"message_id":\#(updateID),"date":1,"chat":{"id":\#(chat),"type":"private"},"text":"\#(text)"}}"#
}

private func post(_ port: Int, _ body: String) async throws -> RawHTTPClient.Response {
    let client = try RawHTTPClient(port: port)
    try client.send(
        "POST /telegram HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
    return try await client.readResponse()
}

private func readyz(_ port: Int) async throws -> Int {
    let client = try RawHTTPClient(port: port)
    try client.send("GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    return try await client.readResponse().status
}

/// Polls `condition` every 20 ms for at most 10 s.
private func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<500 {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return false
}

/// Which updates the application handled, in order, with their chat.
private final class HandledLog: Sendable {
    let entries = Mutex<[(chat: Int64, id: Int64)]>([])
    var ids: [Int64] { entries.withLock { $0.map(\.id) } }
    func ids(inChat chat: Int64) -> [Int64] { entries.withLock { $0.filter { $0.chat == chat }.map(\.id) } }
}

/// Runs a durable application on `directory` around `body`, recording handled updates in `log`.
private func withDurableApp(
    directory: String, log: HandledLog, busyTimeout: Duration = .seconds(2),
    holding held: (updateID: Int64, gate: TestGate)? = nil,
    _ body: (BotApplication, Int) async throws -> Void
) async throws {
    let configuration = BotApplicationConfiguration(
        http: HTTPServerConfiguration(bindTargets: [.tcp(host: "127.0.0.1", port: 0)], ioThreads: 1), workers: 2,
        shutdownGracePeriod: .seconds(5),
        durability: .durable(
            .init(directory: directory, probeInterval: .milliseconds(50), busyTimeout: busyTimeout)))
    let app = BotApplication(
        configuration: configuration, caller: RecordingBotAPICaller(), logger: Logger(label: "test")
    ) { update, _ in
        if let held, held.updateID == update.updateID { await held.gate.wait() }
        log.entries.withLock { $0.append((update.chatID ?? 0, update.updateID)) }
    }
    try await app.recover()
    try app.start()
    try await runWhileServing(app, body)
}

private func scratchDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tgbotd-durable-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite(.timeLimit(.minutes(1)))
struct DurableIntakeTests {
    @Test func redeliveredUpdatesAreAcknowledgedButHandledOnce() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = HandledLog()
        try await withDurableApp(directory: directory, log: log) { (app, port) async throws in
            #expect(try await post(port, update(1)).status == 200)
            #expect(try await post(port, update(2)).status == 200)
            #expect(try await post(port, update(1)).status == 200, "a redelivery is acknowledged")
            #expect(try await eventually { app.pipeline.processed == 2 })
            #expect(try await post(port, update(2)).status == 200, "also after it was handled")
        }
        #expect(log.ids.sorted() == [1, 2])
        // The journal outlives the process: a redelivery after a restart is still recognised.
        try await withDurableApp(directory: directory, log: log) { (_, port) async throws in
            #expect(try await post(port, update(1)).status == 200)
            #expect(try await post(port, update(3)).status == 200)
        }
        #expect(log.ids.sorted() == [1, 2, 3])
    }

    @Test func unfinishedUpdatesAreReplayedInOrderBeforeNewOnes() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // What a crash leaves: 2 was handled; 5, 3, 9 (chat 10) and 4 (chat 20) were acknowledged, not handled.
        let journal = try await UpdateJournal.open(directory: directory)
        for (id, chat) in [(2, 10), (5, 10), (3, 10), (9, 10), (4, 20)] as [(Int64, Int64)] {
            _ = try await journal.append(RawUpdate(validating: Array(update(id, chat: chat).utf8)))
        }
        try await journal.complete(updateID: 2)
        await journal.close()

        let log = HandledLog()
        let gate = TestGate()
        // The first replayed update of chat 10 waits until a new update of chat 10 has been accepted, so the new
        // one is queued while 5 and 9 still wait: it must still run after them.
        try await withDurableApp(
            directory: directory, log: log, holding: (3, gate)
        ) { (app, port) async throws in
            #expect(try await post(port, update(10, chat: 10)).status == 200)
            gate.open()
            #expect(try await eventually { app.pipeline.processed == 5 })
        }
        #expect(log.ids(inChat: 10) == [3, 5, 9, 10])
        #expect(log.ids(inChat: 20) == [4])
        let reopened = try await UpdateJournal.open(directory: directory)
        #expect(try await reopened.pending().isEmpty, "every replayed update was marked completed")
        await reopened.close()
    }

    @Test func corruptJournalIsReportedAndLeftUntouched() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = UpdateJournal.path(in: directory)
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        let app = BotApplication(
            configuration: .init(durability: .durable(.init(directory: directory))), caller: RecordingBotAPICaller(),
            logger: Logger(label: "test")
        ) { _, _ in }
        let error = try await #require(throws: StoreError.self) { try await app.recover() }
        #expect(error.isPermanent)
        #expect(error.description.contains(path))
        #expect(error.description.contains("not a database"))
        #expect(FileManager.default.contents(atPath: path) == garbage, "the refused file is not modified")

        let moved = try StoreFiles.moveAside(path)
        #expect(FileManager.default.contents(atPath: moved) == garbage)
        try await app.recover()
        #expect(app.pipeline.unavailableReason == nil, "a fresh journal opens once the bad file is moved aside")
        await app.pipeline.journal?.close()
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "needs CAP_SYS_ADMIN to mount a tmpfs"))
    func fullDiskAnswers503AndRecovers() async throws {
        let mount = try ScratchMount(kilobytes: 1024)
        defer { mount.remove() }
        let log = HandledLog()
        try await withDurableApp(directory: mount.path + "/data", log: log) { (app, port) async throws in
            #expect(try await post(port, update(1)).status == 200)
            let filler = mount.fill()
            // Bounded: each refused update is 64 KiB of new WAL frames on a full file system.
            var refused: Int64?
            for id in Int64(2)...20 where try await post(port, update(id, padding: 65_536)).status == 503 {
                refused = id
                break
            }
            let refusedID = try #require(refused, "a full disk must refuse updates")
            #expect(try await readyz(port) == 503)
            #expect(app.pipeline.unavailableReason?.contains("full") == true)

            #expect(unlink(filler) == 0)
            #expect(try await eventually { try await readyz(port) == 200 }, "recovers once space is back")
            #expect(try await post(port, update(refusedID, padding: 65_536)).status == 200)
            #expect(try await eventually { log.ids.contains(refusedID) })
        }
    }

    @Test(.enabled(if: ScratchMount.isAvailable, "needs CAP_SYS_ADMIN to mount a tmpfs"))
    func readOnlyDirectoryAnswers503AndRecovers() async throws {
        let mount = try ScratchMount(kilobytes: 4096)
        defer { mount.remove() }
        try mount.remount(readOnly: true)
        let log = HandledLog()
        try await withDurableApp(directory: mount.path + "/data", log: log) { (app, port) async throws in
            #expect(try await post(port, update(1)).status == 503, "nothing is acknowledged without a journal")
            #expect(try await readyz(port) == 503)
            #expect(app.pipeline.unavailableReason?.contains("Read-only file system") == true)

            try mount.remount(readOnly: false)
            #expect(try await eventually { try await readyz(port) == 200 })
            #expect(try await post(port, update(1)).status == 200)
            #expect(try await eventually { log.ids == [1] })
        }
    }

    @Test func deletedDataDirectoryIsNoticedAndRecreated() async throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = HandledLog()
        try await withDurableApp(directory: directory, log: log) { (app, port) async throws in
            #expect(try await post(port, update(1)).status == 200)
            let firstJournal = try #require(app.pipeline.journal?.journal)
            try FileManager.default.removeItem(atPath: directory)
            // Without the check, update 2 would be "journaled" into the unlinked file and vanish at the next start.
            #expect(
                try await eventually {
                    guard let current = app.pipeline.journal?.journal else { return false }
                    return current !== firstJournal && current.isFileInPlace
                }, "a new journal is opened at the path")
            #expect(try await post(port, update(2)).status == 200)
            #expect(try await eventually { log.ids.contains(2) })
        }
        let reopened = try await UpdateJournal.open(directory: directory)
        #expect(try await reopened.append(RawUpdate(validating: Array(update(2).utf8))) == .duplicate)
        await reopened.close()
    }
}
