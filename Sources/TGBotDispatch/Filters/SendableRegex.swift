/// Holds a Swift `Regex` so a `@Sendable` filter can capture it, and turns a match into filter captures.
///
/// `Regex` is not declared `Sendable` (swiftlang/swift#78111) because it lazily compiles its pattern into a
/// program on first use.
// Sendable: the only mutable state inside a `Regex` is that lazily compiled program, which the standard library
// stores with an atomic compare-and-swap and reads with an atomic load (swift-experimental-string-processing
// #457, #610), so concurrent matching is safe. `init` additionally runs one match, so the program is compiled
// before the box is shared and later uses only read it. The box stores the regex in a `let`.
struct SendableRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    /// Wraps `regex`, erasing its output type, and compiles it.
    init<Output>(_ regex: Regex<Output>) {
        let erased = Regex<AnyRegexOutput>(regex)
        _ = try? erased.firstMatch(in: "")
        self.regex = erased
    }

    /// The whole match and every group of the first match in `text`, or nil when there is none. An unmatched
    /// optional group captures the empty string.
    func captures(in text: String) -> [String]? {
        // A custom `CustomConsumingRegexComponent` inside the regex may throw; that counts as no match.
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        return match.output.map { $0.substring.map(String.init) ?? "" }
    }
}
