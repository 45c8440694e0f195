import Dispatch
import Foundation
import TGBotHTTP
import TGBotTesting

// tgbotd-fake-bot-api: a stand-in Bot API server for end-to-end benchmarks.
//
//   tgbotd-fake-bot-api [--port N] [--latency-ms N] [--token T]
//
// Prints `listening <port>` once bound; on SIGUSR1 prints `count <n>` (sendMessage calls received so far), so a
// benchmark can sample the count at the start and end of its window; on SIGINT or SIGTERM prints
// `sendMessage <count>` and exits 0. Answers with FakeBotAPIServer's default responses.

/// Writes one line to stdout unbuffered, so a benchmark script reading the pipe sees it at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tgbotd-fake-bot-api: \(message)\n".utf8))
    exit(2)
}

var port = 0
var latencyMilliseconds = 0
var token = FakeBotAPIServer.defaultToken
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--port":
        guard let value = arguments.popFirst().flatMap(Int.init), (0...65535).contains(value) else {
            fail("--port needs a number in 0...65535")
        }
        port = value
    case "--latency-ms":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 0 else {
            fail("--latency-ms needs a non-negative number")
        }
        latencyMilliseconds = value
    case "--token":
        guard let value = arguments.popFirst(), !value.isEmpty else { fail("--token needs a value") }
        token = value
    case "-h", "--help":
        say("usage: tgbotd-fake-bot-api [--port N] [--latency-ms N] [--token T]")
        exit(0)
    default:
        fail("unknown argument \(argument); see --help")
    }
}

let server = FakeBotAPIServer(token: token, port: port, latency: .milliseconds(latencyMilliseconds))
do {
    try server.start()
} catch {
    fail("cannot listen on 127.0.0.1:\(port): \(error)")
}
say("listening \(server.port)")

// Signals are delivered to a dispatch source on the main queue (the default actions are disabled first).
var sources: [any DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        say("sendMessage \(server.callCount("sendMessage"))")
        exit(0)
    }
    source.resume()
    sources.append(source)
}
signal(SIGUSR1, SIG_IGN)
let sampler = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .main)
sampler.setEventHandler { say("count \(server.callCount("sendMessage"))") }
sampler.resume()
dispatchMain()
