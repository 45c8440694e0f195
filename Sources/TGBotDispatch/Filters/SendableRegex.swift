import FoundationEssentials

/// Holds an `NSRegularExpression` so a `@Sendable` filter can capture it.
// Sendable: NSRegularExpression is immutable after creation and documented as safe to use from several threads
// at once; the box only stores it in a `let`.
struct SendableRegex: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ regex: NSRegularExpression) { self.regex = regex }

    /// The whole match and every group of the first match in `text`, or nil when there is none.
    func captures(in text: String) -> [String]? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = regex.firstMatch(in: text, range: range) else { return nil }
        return (0..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
        }
    }
}
