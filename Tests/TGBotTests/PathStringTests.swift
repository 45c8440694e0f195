import Testing

@testable import TGBot

/// The path-string helpers that replaced `NSString`'s when TGBot moved to FoundationEssentials.
@Suite struct PathStringTests {
    @Test(arguments: [
        ("/var/lib/tgbotd", "/var/lib"), ("/var/lib/tgbotd/", "/var/lib"), ("data", ""), ("data/state", "data"),
        ("/data", "/"), ("/", "/"), ("", ""), ("a//b", "a"),
    ])
    func parentDirectoryMatchesNSString(_ path: String, _ parent: String) {
        #expect(LocalChecks.parentDirectory(of: path) == parent)
    }
}
