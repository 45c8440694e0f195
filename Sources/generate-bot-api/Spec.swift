import Foundation

/// The machine-readable Bot API description (`spec/telegram-bot-api/api.json`).
///
/// JSON objects do not keep their key order through `JSONDecoder`, so types and methods are sorted by name
/// wherever order matters; that keeps the output deterministic.
struct Spec: Decodable {
    var version: String
    var releaseDate: String
    var changelog: String
    var methods: [String: SpecMethod]
    var types: [String: SpecType]

    enum CodingKeys: String, CodingKey {
        case version
        case releaseDate = "release_date"
        case changelog, methods, types
    }

    var sortedTypes: [SpecType] { types.values.sorted { $0.name < $1.name } }
    var sortedMethods: [SpecMethod] { methods.values.sorted { $0.name < $1.name } }
}

/// A type: a struct with `fields`, a union with `subtypes`, or an empty object with neither.
struct SpecType: Decodable {
    var name: String
    var href: String
    var description: [String]
    var fields: [SpecField]?
    var subtypes: [String]?

    var isUnion: Bool { subtypes != nil }
    var allFields: [SpecField] { fields ?? [] }
}

/// A method with its parameters in `fields` (absent when it takes none).
struct SpecMethod: Decodable {
    var name: String
    var href: String
    var description: [String]
    var returns: [String]
    var fields: [SpecField]?

    var allFields: [SpecField] { fields ?? [] }
}

/// A field of a type or a parameter of a method. More than one entry in `types` means a union.
struct SpecField: Decodable {
    var name: String
    var types: [String]
    var required: Bool
    var description: String
}

/// Failures that stop generation; each says which spec entry was not understood.
struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
