/// Writes `Tests/TGBotTypesTests/Generated/SampleValues.swift`: a sample value for every generated type
/// with every optional field set (down to a depth limit that ends recursion), every variant of every
/// union, a round-trip case per type, and a key check per method.
struct SampleEmitter {
    let model: Model
    let structs: StructEmitter

    init(model: Model) {
        self.model = model
        structs = StructEmitter(model: model)
    }

    static func sampleName(_ type: String) -> String { "sample\(type)" }
    static func variantsName(_ type: String) -> String { "variants\(type)" }

    func emit() throws -> String {
        var file = SourceFile(spec: model.spec, imports: ["Foundation", "TGBotTypes"])
        file.add("/// Generated sample values: every optional field set while `depth > 0`, so a round trip")
        file.add("/// exercises every coding key of every type.")
        file.add("enum SampleValues {")
        file.add("    /// A value larger than 2^32, so 32-bit truncation shows up.")
        file.add("    static let integer: Int64 = 4_294_967_299")
        file.add("")
        for type in model.generatedTypes {
            if type.isUnion {
                file.add(try unionFunctions(type))
            } else {
                file.add(try structFunction(type))
            }
            file.add("")
        }
        file.add(roundTripCases())
        file.add("")
        file.add(try methodCases())
        file.add("}")
        return file.text
    }

    func structFunction(_ type: SpecType) throws -> [String] {
        let call = try initCall(type.name, fields: type.allFields, owner: type.name)
        return ["    static func \(Self.sampleName(type.name))(_ depth: Int) -> \(type.name) {"]
            + call.map { "        " + $0 } + ["    }"]
    }

    /// `Type(label: value, …)` with every member but the defaulted discriminator.
    func initCall(_ typeName: String, fields: [SpecField], owner: String) throws -> [String] {
        let members = StructEmitter.initOrder(try structs.members(of: fields, owner: owner))
            .filter { !($0.field.required && $0.defaultValue != nil) }
        if members.isEmpty { return ["\(typeName)()"] }
        var lines = ["\(typeName)("]
        for (index, member) in members.enumerated() {
            var value = try valueExpression(member.field.types, owner: owner, field: member.field.name)
            if !member.field.required, isObject(member.field.types) { value = "depth > 0 ? \(value) : nil" }
            lines.append("    \(member.property): \(value)" + (index == members.count - 1 ? "" : ","))
        }
        lines.append(")")
        return lines
    }

    func isObject(_ types: [String]) -> Bool {
        types.count == 1 && model.spec.types[Model.elementTypeName(types[0]).name] != nil
            && !types[0].hasPrefix("Array of")
    }

    func valueExpression(_ types: [String], owner: String, field: String) throws -> String {
        if types.count > 1 {
            switch try model.swiftType(types, context: owner) {
            case "ChatID": return ".id(-1_001_234_567_890)"
            case "InputFileOrString":
                return ".upload(InputFile(attachmentName: \(field.swiftLiteral), data: Data([1, 2])))"
            case "ReplyMarkup": return ".inlineKeyboard(\(Self.sampleName("InlineKeyboardMarkup"))(depth - 1))"
            case "[InputMedia]": return "\(Self.variantsName("InputMedia"))(depth - 1)"
            case let other: throw GeneratorError("no sample for \(other)")
            }
        }
        return try valueExpression(types[0], owner: owner, field: field)
    }

    func valueExpression(_ type: String, owner: String, field: String) throws -> String {
        if type.hasPrefix("Array of ") {
            let element = String(type.dropFirst("Array of ".count))
            let inner = try valueExpression(element, owner: owner, field: field)
            if model.spec.types[Model.elementTypeName(element).name] != nil { return "depth > 0 ? [\(inner)] : []" }
            return "[\(inner)]"
        }
        switch type {
        case "Integer":
            // Bot API: an InaccessibleMessage has date 0, every other message a real date.
            return owner == "InaccessibleMessage" && field == "date" ? "0" : "integer"
        case "String": return "\(owner).\(field)".swiftLiteral
        case "Boolean", "True": return "true"
        case "Float": return "0.25"
        case "InputFile": return "InputFile(attachmentName: \(field.swiftLiteral), data: Data([1, 2]))"
        default: return "\(Self.sampleName(type))(depth - 1)"
        }
    }

    func unionFunctions(_ type: SpecType) throws -> [String] {
        guard let union = model.unions[type.name] else { return [] }
        var lines = ["    static func \(Self.variantsName(type.name))(_ depth: Int) -> [\(type.name)] {", "        ["]
        var values: [String] = []
        for variant in union.variants {
            let value: String
            switch variant.typeName {
            case "String": value = "\"plain\""
            case let array where array.hasPrefix("Array of"): value = "depth > 0 ? [.plain(\"a\"), .plain(\"b\")] : []"
            default: value = "\(Self.sampleName(variant.typeName))(depth - 1)"
            }
            let construction = ".\(Naming.escaped(variant.caseName))(\(value))"
            values.append(construction)
            lines.append("            \(construction),")
        }
        lines += ["        ]", "    }", ""]
        // At depth <= 0 build only a variant that cannot lead back here through required fields.
        let terminalIndex = union.variants.firstIndex { !requiredClosure($0.typeName).contains(type.name) } ?? 0
        lines += [
            "    static func \(Self.sampleName(type.name))(_ depth: Int) -> \(type.name) {",
            "        depth > 0 ? \(Self.variantsName(type.name))(depth)[0] : \(values[terminalIndex])",
            "    }",
        ]
        return lines
    }

    /// Types reached from `name` through required, non-array fields (all subtypes for unions).
    func requiredClosure(_ name: String) -> Set<String> {
        var seen: Set<String> = []
        var stack = [name]
        while let next = stack.popLast() {
            guard let type = model.spec.types[next], seen.insert(next).inserted else { continue }
            stack += type.subtypes ?? []
            stack += type.allFields.filter { $0.required && $0.types.count == 1 }.map(\.types[0])
                .filter { !$0.hasPrefix("Array of") }
        }
        return seen
    }

    func roundTripCases() -> [String] {
        var lines = [
            "    /// One case per generated type with the JSON keys its full sample must have; unions check every variant.",
            "    static let roundTripCases: [RoundTripCase] = [",
        ]
        for type in model.generatedTypes {
            if type.isUnion {
                lines.append("        RoundTripCase(\(type.name.swiftLiteral), keys: []) {")
                lines.append(
                    "            for value in \(Self.variantsName(type.name))(2) { try assertRoundTrip(value) }")
                lines.append("            return []")
                lines.append("        },")
            } else {
                let keys = type.allFields.map(\.name).sorted().map(\.swiftLiteral).joined(separator: ", ")
                lines.append("        RoundTripCase(\(type.name.swiftLiteral), keys: [\(keys)]) {")
                lines.append("            let value = \(Self.sampleName(type.name))(2)")
                lines.append("            try assertRoundTrip(value)")
                lines.append("            return try encodedKeys(value)")
                lines.append("        },")
            }
        }
        lines.append("    ]")
        return lines
    }

    func methodCases() throws -> [String] {
        var lines = [
            "    /// Every method with every parameter set, and the JSON keys its encoding must have.",
            "    static let methodCases: [MethodEncodingCase] = [",
        ]
        for method in model.spec.sortedMethods {
            let name = MethodEmitter.structName(method)
            let call = try initCall(name, fields: method.allFields, owner: method.name)
            let keys = method.allFields.map(\.name).sorted().map(\.swiftLiteral).joined(separator: ", ")
            lines.append("        MethodEncodingCase(\(method.name.swiftLiteral), keys: [\(keys)]) { depth in")
            lines.append("            try encodedKeys(")
            lines += call.map { "                " + $0 }
            lines.append("            )")
            lines.append("        },")
        }
        lines.append("    ]")
        return lines
    }
}
