import Testing

@testable import TGBotStore

/// ``StoreFiles``' path join, which replaced `NSString.appendingPathComponent`.
@Suite struct StoreFilesTests {
    @Test(arguments: [
        ("/var/lib/tgbotd", "/var/lib/tgbotd/state.sqlite3"), ("/var/lib/tgbotd/", "/var/lib/tgbotd/state.sqlite3"),
        ("data", "data/state.sqlite3"), ("", "state.sqlite3"), ("/", "/state.sqlite3"),
    ])
    func pathJoinsWithOneSlash(_ directory: String, _ expected: String) {
        #expect(StoreFiles.path(in: directory, named: "state.sqlite3") == expected)
    }
}
