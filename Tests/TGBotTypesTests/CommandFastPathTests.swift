import Testing

@testable import TGBotTypes

@Suite struct CommandFastPathTests {
    /// The byte-level fast path must parse every text exactly as the `Character`-level parser does: random texts
    /// mixing command characters, `@`, ASCII and Unicode whitespace, combining marks and non-Latin letters.
    @Test func fastPathAgreesWithTheUnicodeParser() {
        let pieces = [
            "/", "/", "@", "@", "start", "s", "Bot_1", "_", "9", " ", " ", "\n", "\t", "\r\n", "\u{A0}", "\u{2003}",
            "\u{85}", "é", "e\u{301}", "\u{301}", "бот", "-", "x", "my_bot", "MY_BOT", "🌷", ".",
        ]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            var text = next() % 4 == 0 ? "" : "/"
            for _ in 0..<(next() % 8) { text += pieces[next() % pieces.count] }
            for username in [nil, "my_bot", "@My_Bot"] as [String?] {
                let fast = Command(parsing: text, botUsername: username)
                let general = Command(unicodeParsing: text, botUsername: username)
                if fast != general { disagreements.append("\(text.debugDescription) @\(username ?? "-")") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }
}
