extension Filter {
    /// Options for a filter built from a pattern string with ``regex(_:options:)``.
    ///
    /// The names are those of `NSRegularExpression.Options`, which this type replaced when TGBotDispatch moved
    /// off Foundation, so `options: [.caseInsensitive]` keeps compiling. `useUnixLineSeparators` has no
    /// counterpart in Swift `Regex` and is gone.
    public struct RegexOptions: OptionSet, Sendable, Hashable {
        /// The bits of the set.
        public let rawValue: Int

        /// Creates a set from its bits.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Letters match regardless of case (`(?i)`).
        public static let caseInsensitive = RegexOptions(rawValue: 1 << 0)
        /// Whitespace in the pattern is ignored and `#` starts a comment (`(?x)`).
        public static let allowCommentsAndWhitespace = RegexOptions(rawValue: 1 << 1)
        /// The pattern is a literal string: no character in it is a metacharacter.
        public static let ignoreMetacharacters = RegexOptions(rawValue: 1 << 2)
        /// `.` also matches line separators (`(?s)`).
        public static let dotMatchesLineSeparators = RegexOptions(rawValue: 1 << 3)
        /// `^` and `$` match at the start and end of every line, not only of the text (`(?m)`).
        public static let anchorsMatchLines = RegexOptions(rawValue: 1 << 4)
        /// `\b` uses Unicode default word boundaries (UAX #29) instead of the simple `\w`/`\W` transition.
        public static let useUnicodeWordBoundaries = RegexOptions(rawValue: 1 << 5)

        /// Compiles `pattern` with these options, matching on Unicode scalars as ICU does.
        ///
        /// - Throws: The `Regex` parse error when `pattern` is invalid.
        func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
            var source = contains(.ignoreMetacharacters) ? Self.escaped(pattern) : pattern
            if contains(.allowCommentsAndWhitespace) && !contains(.ignoreMetacharacters) {
                source = "(?x)" + source
            }
            return try Regex(source)
                .ignoresCase(contains(.caseInsensitive))
                .dotMatchesNewlines(contains(.dotMatchesLineSeparators))
                .anchorsMatchLineEndings(contains(.anchorsMatchLines))
                .wordBoundaryKind(contains(.useUnicodeWordBoundaries) ? .default : .simple)
                .matchingSemantics(.unicodeScalar)
        }

        /// `text` with every ASCII punctuation and symbol character backslash-escaped, so a regex matches it
        /// literally; whitespace is kept as is (it is literal without `(?x)`).
        static func escaped(_ text: String) -> String {
            var result = ""
            result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                if scalar.isASCII && scalar.properties.isPatternSyntax { result.unicodeScalars.append("\\") }
                result.unicodeScalars.append(scalar)
            }
            return result
        }
    }
}
