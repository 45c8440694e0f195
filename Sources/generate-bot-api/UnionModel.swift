import Foundation

/// How a union type is told apart on the wire, and the Swift case for each of its variants.
struct UnionModel {
    /// One variant: a spec object type, or (for `RichText` only) a plain string or an array of itself.
    struct Variant {
        var caseName: String
        /// The payload's spec name: a type name, `String`, or `Array of RichText`.
        var typeName: String
        var tag: String?
        /// Required JSON keys of the variant, used when the tag alone does not decide.
        var requiredKeys: [String]
        var description: String
    }

    enum Strategy {
        /// A string field (`type`, `status`, `source`) whose value names the variant.
        case tag(key: String)
        /// `MaybeInaccessibleMessage`: an `InaccessibleMessage` has `date == 0`.
        case zeroDate
        /// `InputMessageContent`: no tag; the variant is the most specific one whose required keys are present.
        case shape
    }

    var name: String
    var strategy: Strategy
    var variants: [Variant]
    /// `RichText` may also be a plain string or an array of `RichText`.
    var hasStringAndArray: Bool

    init(union: SpecType, spec: Spec) throws {
        name = union.name
        let subtypes = union.subtypes ?? []
        hasStringAndArray = subtypes.contains("String")
        let objectNames = subtypes.filter { spec.types[$0] != nil }
        let caseNames = Self.caseNames(union: union.name, subtypes: objectNames)
        switch union.name {
        case "MaybeInaccessibleMessage": strategy = .zeroDate
        case "InputMessageContent": strategy = .shape
        default: strategy = .tag(key: try Self.tagKey(union: union.name, subtypes: objectNames, spec: spec))
        }
        var variants: [Variant] = []
        for (subtype, caseName) in zip(objectNames, caseNames) {
            let type = spec.types[subtype]!
            var tag: String?
            if case .tag(let key) = strategy {
                guard let field = type.allFields.first(where: { $0.name == key }), let value = Self.tagValue(field)
                else { throw GeneratorError("\(union.name): no discriminator value for \(subtype).\(key)") }
                tag = value
            }
            variants.append(
                Variant(
                    caseName: caseName, typeName: subtype, tag: tag,
                    requiredKeys: type.allFields.filter(\.required).map(\.name),
                    description: type.description.first ?? subtype))
        }
        if hasStringAndArray {
            variants.insert(
                Variant(
                    caseName: "plain", typeName: "String", tag: nil, requiredKeys: [],
                    description: "Plain text."), at: 0)
            variants.insert(
                Variant(
                    caseName: "concatenation", typeName: "Array of \(union.name)", tag: nil, requiredKeys: [],
                    description: "Rich texts shown one after another."), at: 1)
        }
        let names = variants.map(\.caseName)
        guard Set(names).count == names.count, !names.contains("unknown") else {
            throw GeneratorError("\(union.name): case names collide: \(names)")
        }
        self.variants = variants
    }

    var objectVariants: [Variant] { variants.filter { $0.typeName != "String" && !$0.typeName.hasPrefix("Array of") } }

    /// The discriminator field shared by every subtype, found from descriptions like `always "emoji"`.
    static func tagKey(union: String, subtypes: [String], spec: Spec) throws -> String {
        for key in ["type", "status", "source"] {
            let all = subtypes.allSatisfy { subtype in
                spec.types[subtype]?.allFields.contains { $0.name == key && tagValue($0) != nil } ?? false
            }
            if all { return key }
        }
        throw GeneratorError("\(union): no discriminator field found in \(subtypes)")
    }

    /// `Type of the reaction, always "emoji"` → `emoji`; `Scope type, must be chat` → `chat`.
    static func tagValue(_ field: SpecField) -> String? {
        let pattern = #"(?:always|must be)\s+["“]?([a-z0-9_]+)["”]?"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(
                in: field.description, range: NSRange(field.description.startIndex..., in: field.description)),
            let range = Range(match.range(at: 1), in: field.description)
        else { return nil }
        return String(field.description[range])
    }

    /// Case names: the subtype names without the union's name (or the subtypes' common leading words) and
    /// without common trailing words, as lowerCamel with uniform acronyms.
    static func caseNames(union: String, subtypes: [String]) -> [String] {
        var split = subtypes.map(Naming.camelWords)
        let unionWords = Naming.camelWords(union)
        if split.allSatisfy({ $0.count > unionWords.count && Array($0.prefix(unionWords.count)) == unionWords }) {
            split = split.map { Array($0.dropFirst(unionWords.count)) }
        } else {
            while split.allSatisfy({ $0.count > 1 }), let first = split.first?.first,
                split.allSatisfy({ $0.first == first })
            {
                split = split.map { Array($0.dropFirst()) }
            }
        }
        while split.count > 1, split.allSatisfy({ $0.count > 1 }), let last = split.first?.last,
            split.allSatisfy({ $0.last == last })
        {
            split = split.map { Array($0.dropLast()) }
        }
        return split.map { Naming.camel($0) }
    }
}
