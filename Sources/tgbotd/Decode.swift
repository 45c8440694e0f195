import ArgumentParser
import FoundationEssentials
import TGBotAPI

/// `tgbotd decode`: decode one Update JSON from stdin and show what a bot would see.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode one Update JSON read from stdin.",
        discussion: """
            Prints the update's kind on stderr (message, callback_query, …; unknown(<name>) for a kind newer \
            than this build) and the update re-encoded from the typed model on stdout, so only the fields \
            this build knows appear.

            Exit status: 0 when the update decoded (unknown kinds included); 1 when the input is not an \
            update (invalid JSON, not an object, no integer update_id), with a one-line message on stderr; \
            1 when a known kind's payload breaks the spec, printed as undecodable(<kind>): <error> (stdout \
            then holds only update_id).

            Example: echo '{"update_id":1,"message":{"message_id":1,"date":0,\
            "chat":{"id":1,"type":"private"},"text":"hi"}}' | tgbotd decode
            """
    )

    @Flag(help: "Print the JSON on one line instead of indented.")
    var compact = false

    func run() throws {
        let input = StandardStreams.readInput()
        let report: UpdateDecodeReport
        do {
            report = try UpdateDecodeReport(decoding: input, pretty: !compact)
        } catch {
            Self.writeError("tgbotd decode: \(error)")
            throw ExitCode.failure
        }
        Self.writeError(report.kindDescription)
        StandardStreams.writeOutput(report.json + "\n")
        if !report.isDecoded { throw ExitCode.failure }
    }

    private static func writeError(_ line: String) {
        StandardStreams.writeError(line + "\n")
    }
}
