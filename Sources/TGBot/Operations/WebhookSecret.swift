/// The webhook secret token Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`: its rule and a generator.
///
/// Telegram accepts 1–256 characters of `A-Z`, `a-z`, `0-9`, `_` and `-`. A generated secret has 48 of them
/// from `SystemRandomNumberGenerator` (the kernel's CSPRNG): 64 symbols, so 6 bits each, 288 bits in all.
public enum WebhookSecret {
    /// Telegram's alphabet for secret tokens.
    public static let alphabet: [Character] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

    /// The length of a generated secret.
    public static let generatedLength = 48

    /// Telegram's bounds on the length.
    public static let allowedLengths = 1...256

    /// A new random secret of `length` characters from ``alphabet``.
    ///
    /// - Parameters:
    ///   - length: How many characters (clamped to ``allowedLengths``).
    ///   - generator: The randomness; tests pass a seeded one.
    public static func generate<Generator: RandomNumberGenerator>(
        length: Int = generatedLength, using generator: inout Generator
    ) -> String {
        let count = min(max(length, allowedLengths.lowerBound), allowedLengths.upperBound)
        // `randomElement(using:)` draws uniformly (no modulo bias), and 64 divides 2^64 anyway.
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator) ?? "A" })
    }

    /// A new random secret from the system's CSPRNG.
    public static func generate(length: Int = generatedLength) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(length: length, using: &generator)
    }

    /// Whether Telegram accepts `token` as a secret: 1–256 characters of ``alphabet``.
    public static func isValid(_ token: String) -> Bool {
        allowedLengths.contains(token.utf8.count)
            && token.utf8.allSatisfy { byte in
                (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                    || byte == 95 || byte == 45
            }
    }
}
