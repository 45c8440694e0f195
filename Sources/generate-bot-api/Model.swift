import Foundation

/// How a spec type string becomes a Swift type, and which struct fields need a box to break recursion.
struct Model {
    let spec: Spec
    /// Types written by hand in `TGBotTypes` (not generated): their semantics are not expressible in JSON.
    static let handWritten: Set<String> = ["InputFile", "Update"]
    static let replyMarkupTypes: Set<String> = [
        "InlineKeyboardMarkup", "ReplyKeyboardMarkup", "ReplyKeyboardRemove", "ForceReply",
    ]

    /// Generated types: every spec type but the hand-written ones, sorted by name.
    let generatedTypes: [SpecType]
    let unions: [String: UnionModel]
    /// `type name → field names` of struct fields stored in a `Box` because the field's type reaches back.
    let boxedFields: [String: Set<String>]

    init(spec: Spec) throws {
        self.spec = spec
        generatedTypes = spec.sortedTypes.filter { !Self.handWritten.contains($0.name) }
        var unions: [String: UnionModel] = [:]
        for type in generatedTypes where type.isUnion {
            unions[type.name] = try UnionModel(union: type, spec: spec)
        }
        self.unions = unions
        var boxed = Self.findRecursiveFields(spec: spec)
        Self.boxLargeFields(spec: spec, boxed: &boxed)
        boxedFields = boxed
    }

    /// Fields whose type is estimated larger than this many bytes are stored in a `Box` too. Without it
    /// `Message` (100+ optional objects, each stored inline) is about 16 KB: every copy of a message, a
    /// callback query or an update moves that much, and debug builds overflow small thread stacks.
    static let inlineSizeLimit = 160

    /// Adds the object fields larger than ``inlineSizeLimit`` to `boxed`, sizing types bottom-up (the
    /// recursive fields are already boxed, so the walk terminates).
    static func boxLargeFields(spec: Spec, boxed: inout [String: Set<String>]) {
        var sizes: [String: Int] = [:]
        func size(of types: [String]) -> Int {
            guard types.count == 1 else { return 24 }
            let type = types[0]
            if type.hasPrefix("Array of ") { return 8 }
            switch type {
            case "Integer", "Float": return 9
            case "String": return 16
            case "Boolean", "True": return 1
            default: return size(ofType: type) + 1
            }
        }
        func size(ofType name: String) -> Int {
            if let known = sizes[name] { return known }
            guard let type = spec.types[name] else { return 8 }
            var total = 0
            if let subtypes = type.subtypes {
                total = subtypes.map { size(of: [$0]) }.max() ?? 0
            } else {
                for field in type.allFields {
                    if boxed[name]?.contains(field.name) == true {
                        total += 8
                        continue
                    }
                    let fieldSize = size(of: field.types)
                    let isObject = field.types.count == 1 && spec.types[field.types[0]] != nil
                    if isObject, fieldSize > inlineSizeLimit {
                        boxed[name, default: []].insert(field.name)
                        total += 8
                    } else {
                        total += (fieldSize + 7) / 8 * 8
                    }
                }
            }
            sizes[name] = total
            return total
        }
        for type in spec.types.keys.sorted() { _ = size(ofType: type) }
    }

    /// The Swift type for a field's spec types.
    func swiftType(_ types: [String], context: String) throws -> String {
        if types.count > 1 {
            let set = Set(types)
            if set == ["Integer", "String"] { return "ChatID" }
            if set == ["InputFile", "String"] { return "InputFileOrString" }
            if set == Self.replyMarkupTypes { return "ReplyMarkup" }
            if types.allSatisfy({ $0.hasPrefix("Array of InputMedia") }) { return "[InputMedia]" }
            if set == ["Message", "Boolean"] { return "MessageOrTrue" }
            throw GeneratorError("\(context): no Swift type for the union \(types)")
        }
        return try swiftType(types[0], context: context)
    }

    func swiftType(_ type: String, context: String) throws -> String {
        if type.hasPrefix("Array of ") {
            return "[" + (try swiftType(String(type.dropFirst("Array of ".count)), context: context)) + "]"
        }
        switch type {
        case "Integer": return "Int64"
        case "String": return "String"
        case "Boolean", "True": return "Bool"
        case "Float": return "Double"
        default:
            guard spec.types[type] != nil else { throw GeneratorError("\(context): unknown type \(type)") }
            return type
        }
    }

    /// The named spec type a field refers to once arrays are unwrapped, or nil for primitives.
    static func elementTypeName(_ type: String) -> (name: String, arrayDepth: Int) {
        var name = type
        var depth = 0
        while name.hasPrefix("Array of ") {
            name = String(name.dropFirst("Array of ".count))
            depth += 1
        }
        return (name, depth)
    }

    /// Direct (non-array) references from a type: struct field types and union subtypes. Arrays already
    /// store their elements out of line, so only these edges can make a struct infinitely large.
    static func directEdges(_ type: SpecType, spec: Spec) -> [String] {
        if let subtypes = type.subtypes { return subtypes.filter { spec.types[$0] != nil } }
        return type.allFields.compactMap { field in
            guard field.types.count == 1, !field.types[0].hasPrefix("Array of ") else { return nil }
            return spec.types[field.types[0]] != nil ? field.types[0] : nil
        }
    }

    /// A field is boxed when its type can reach the containing struct through direct edges.
    static func findRecursiveFields(spec: Spec) -> [String: Set<String>] {
        var edges: [String: [String]] = [:]
        for type in spec.types.values { edges[type.name] = directEdges(type, spec: spec) }
        func reaches(_ start: String, _ target: String) -> Bool {
            var seen: Set<String> = []
            var stack = [start]
            while let next = stack.popLast() {
                if next == target { return true }
                guard seen.insert(next).inserted else { continue }
                stack += edges[next] ?? []
            }
            return false
        }
        var result: [String: Set<String>] = [:]
        for type in spec.types.values where !type.isUnion {
            for field in type.allFields where field.types.count == 1 {
                let target = field.types[0]
                guard !target.hasPrefix("Array of "), spec.types[target] != nil else { continue }
                if reaches(target, type.name) { result[type.name, default: []].insert(field.name) }
            }
        }
        return result
    }
}
