/// Writes `BotAPISpec.swift`: the spec version and the names the tests use to check coverage.
struct SpecEmitter {
    let model: Model

    func emit() throws -> String {
        let spec = model.spec
        guard let update = spec.types["Update"] else { throw GeneratorError("the spec has no Update type") }
        var file = SourceFile(spec: spec)
        file.add("/// Facts about the Bot API description these types were generated from.")
        file.add("public enum BotAPISpec {")
        file.add("    /// The Bot API version, e.g. `Bot API 10.1`.")
        file.add("    public static let version = \(spec.version.swiftLiteral)")
        file.add("    /// The release date of that version, as written in the documentation.")
        file.add("    public static let releaseDate = \(spec.releaseDate.swiftLiteral)")
        file.add("")
        file.add("    /// Every type in the spec, sorted (including the hand-written `InputFile` and `Update`).")
        file.add("    package static let typeNames: [String] = [")
        file.add(spec.sortedTypes.map { "        \($0.name.swiftLiteral)," })
        file.add("    ]")
        file.add("")
        file.add("    /// Every method in the spec, sorted.")
        file.add("    package static let methodNames: [String] = [")
        file.add(spec.sortedMethods.map { "        \($0.name.swiftLiteral)," })
        file.add("    ]")
        file.add("")
        file.add("    /// The payload fields of `Update` in spec order (everything but `update_id`).")
        file.add("    package static let updateFieldNames: [String] = [")
        file.add(update.allFields.filter { $0.name != "update_id" }.map { "        \($0.name.swiftLiteral)," })
        file.add("    ]")
        file.add("}")
        return file.text
    }
}
