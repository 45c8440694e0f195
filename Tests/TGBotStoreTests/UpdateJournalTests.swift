import Foundation
import TGBotStore
import TGBotTypes
import Testing

@Suite(.timeLimit(.minutes(1)))
struct UpdateJournalTests {
    @Test func appendsDetectsDuplicatesAndCompletes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)

        #expect(try await journal.append(makeUpdate(7)) == .appended)
        #expect(try await journal.append(makeUpdate(3)) == .appended)
        #expect(try await journal.append(makeUpdate(7)) == .duplicate)
        #expect(try await journal.pending() == [makeUpdate(3), makeUpdate(7)])

        try await journal.complete(updateID: 3)
        #expect(try await journal.pending() == [makeUpdate(7)])
        // A completed update is still journaled, so a redelivery is recognised.
        #expect(try await journal.append(makeUpdate(3)) == .duplicate)
        await journal.close()
    }

    @Test func pruneDeletesOnlyCompletedEntriesOutsideTheWindow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        for id in Int64(1)...4 { _ = try await journal.append(makeUpdate(id)) }
        try await journal.complete(updateID: 1)
        try await journal.complete(updateID: 2)

        #expect(try await journal.prune(keepingCompletedFor: .seconds(3600)) == 0)
        #expect(try await journal.append(makeUpdate(1)) == .duplicate)

        #expect(try await journal.prune(keepingCompletedFor: .zero) == 2)
        #expect(try await journal.pending() == [makeUpdate(3), makeUpdate(4)])
        // Past the window the id is forgotten: a redelivery is journaled again.
        #expect(try await journal.append(makeUpdate(1)) == .appended)
        await journal.close()
    }

    @Test func concurrentAppendsShareCommits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        let count = 500

        let appended = try await withThrowingTaskGroup(of: UpdateJournal.AppendResult.self) { group in
            for id in 1...count {
                group.addTask { try await journal.append(makeUpdate(Int64(id))) }
            }
            var appended = 0
            for try await result in group where result == .appended { appended += 1 }
            return appended
        }

        #expect(appended == count)
        let statistics = journal.commitStatistics
        #expect(statistics.writes == count)
        #expect(statistics.commits < count / 5, "\(statistics.commits) commits for \(count) appends")
        #expect(try await journal.pending().count == count)
        await journal.close()
    }

    @Test func reopeningKeepsPendingEntriesForReplay() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await UpdateJournal.open(directory: directory.path)
        for id in [Int64(10), 12, 11] { _ = try await first.append(makeUpdate(id)) }
        try await first.complete(updateID: 11)
        await first.close()

        let second = try await UpdateJournal.open(directory: directory.path)
        #expect(try await second.pending() == [makeUpdate(10), makeUpdate(12)])
        #expect(try await second.append(makeUpdate(11)) == .duplicate)
        await second.close()
    }

    @Test func recordsTheSchemaVersion() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        #expect(try await journal.schemaVersion() == 2)
        #expect(journal.path == directory.file("journal.sqlite3"))
        await journal.close()
    }

    @Test func checkpointCopiesTheWriteAheadLog() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        for id in Int64(1)...20 { _ = try await journal.append(makeUpdate(id)) }
        let result = try await journal.checkpoint()
        #expect(result.walFrames > 0)
        #expect(result.checkpointedFrames == result.walFrames)
        await journal.close()
    }

    @Test func closedJournalRefusesWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        await journal.close()
        await #expect(throws: StoreError.self) { try await journal.append(makeUpdate(1)) }
    }

    /// Steady load with housekeeping: the files stop growing once pruning and checkpoints keep up, because freed
    /// pages and the WAL are reused.
    @Test func pruningAndCheckpointsKeepTheFilesBounded() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        var databaseSizes: [Int] = []
        var walSizes: [Int] = []
        func size(_ name: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: directory.file(name))[.size] as? Int) ?? 0
        }
        for round in Int64(0)..<6 {
            // One at a time, so every round writes the same commits and the same WAL frames.
            for id in (round * 150)..<((round + 1) * 150) {
                _ = try await journal.append(makeUpdate(id))
                try await journal.complete(updateID: id)
            }
            #expect(try await journal.prune(keepingCompletedFor: .zero, chunk: 40) == 150)
            _ = try await journal.checkpoint()
            databaseSizes.append(try size("journal.sqlite3"))
            walSizes.append(try size("journal.sqlite3-wal"))
        }
        #expect(try await journal.pending().isEmpty)
        // After the first rounds have sized the files, later rounds reuse the space (900 unpruned rows would add
        // several pages to the database file, and without checkpoints the WAL would add up round after round).
        #expect(databaseSizes[5] <= databaseSizes[2] + 2 * 4096, "database bytes per round: \(databaseSizes)")
        #expect(walSizes[5] <= walSizes[2] + 16 * 1024, "WAL bytes per round: \(walSizes)")
        await journal.close()
    }

    /// A burst that grew the WAL past the limit leaves a file no larger than the limit once a checkpoint has
    /// caught up and the next commit restarts the log (`PRAGMA journal_size_limit` on the journal connections).
    @Test func walIsCutBackAfterABurst() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try await UpdateJournal.open(directory: directory.path)
        func walSize() throws -> Int {
            let attributes = try FileManager.default.attributesOfItem(atPath: journal.path + "-wal")
            return (attributes[.size] as? NSNumber)?.intValue ?? 0
        }
        let limit = 16 << 20
        // 24 MB of bodies in 96 commits, no checkpoint in between: the WAL holds all of it.
        let padding = String(repeating: "x", count: 256 << 10)
        for id in Int64(1)...96 {
            let body = Array(#"{"update_id":\#(id),"message":{"text":"\#(padding)"}}"#.utf8)
            #expect(try await journal.append(RawUpdate(updateID: id, body: body)) == .appended)
        }
        let burst = try walSize()
        #expect(burst > limit, "the burst did not grow the WAL past the limit: \(burst) bytes")
        let (frames, checkpointed) = try await journal.checkpoint()
        #expect(frames == checkpointed, "a checkpoint with no concurrent writer copies the whole WAL")
        #expect(try await journal.append(makeUpdate(1000)) == .appended)
        let after = try walSize()
        #expect(after <= limit, "WAL after the restart: \(after) bytes (burst: \(burst))")
        await journal.close()
    }
}
