/// Writes one `enum` per union type: a case per variant plus `unknown(JSONValue)`, decoded by the
/// discriminator (or by shape), so a variant newer than this spec never fails the enclosing decode.
struct UnionEmitter {
    let model: Model

    func emit(_ type: SpecType) throws -> String {
        guard let union = model.unions[type.name] else { throw GeneratorError("\(type.name) is not a union") }
        var file = SourceFile(spec: model.spec)
        file.add(Naming.docLines(type.description + ["- SeeAlso: <\(type.href)>"], indent: ""))
        file.add("public enum \(type.name): Codable, Sendable, Hashable {")
        for variant in union.variants {
            file.add(Naming.docLines([variant.description], indent: "    "))
            let payload = try model.swiftType(variant.typeName, context: type.name)
            file.add("    case \(Naming.escaped(variant.caseName))(\(payload))")
        }
        file.add("    /// A variant this version of the Bot API does not know yet, with its raw JSON.")
        file.add("    case unknown(JSONValue)")
        file.add("")
        file.add(wireKeys(union))
        file.add("")
        file.add(decoder(union))
        file.add("")
        file.add(encoder(union))
        file.add("}")
        if !union.hasStringAndArray {
            file.add("")
            file.add(tapeDecoding(union))
        }
        return file.text
    }

    /// The keys the decoder looks at: the tag, the date, or the required keys used to tell shapes apart.
    func keysUsed(_ union: UnionModel) -> [String] {
        var keys: Set<String> = []
        switch union.strategy {
        case .tag(let key):
            keys.insert(key)
            for group in tagGroups(union) where group.count > 1 {
                for (_, distinguishing) in shapeOrder(group) { keys.formUnion(distinguishing) }
            }
        case .zeroDate: keys.insert("date")
        case .shape: for variant in union.objectVariants { keys.formUnion(variant.requiredKeys) }
        }
        return keys.sorted()
    }

    func wireKeys(_ union: UnionModel) -> [String] {
        var lines = ["    private enum WireKey: String, CodingKey {"]
        for key in keysUsed(union) {
            lines.append("        case \(Naming.escaped(Naming.property(key))) = \(key.swiftLiteral)")
        }
        lines.append("    }")
        return lines
    }

    /// Variants grouped by tag value, in spec order of first appearance.
    func tagGroups(_ union: UnionModel) -> [[UnionModel.Variant]] {
        var order: [String] = []
        var groups: [String: [UnionModel.Variant]] = [:]
        for variant in union.objectVariants {
            let tag = variant.tag ?? ""
            if groups[tag] == nil { order.append(tag) }
            groups[tag, default: []].append(variant)
        }
        return order.map { groups[$0]! }
    }

    /// Most specific first; each variant with the required keys that the others in its group do not all share.
    func shapeOrder(_ group: [UnionModel.Variant]) -> [(UnionModel.Variant, [String])] {
        let shared = group.map { Set($0.requiredKeys) }.reduce(Set(group.first?.requiredKeys ?? [])) {
            $0.intersection($1)
        }
        let withKeys = group.map { variant in (variant, variant.requiredKeys.filter { !shared.contains($0) }) }
        return withKeys.enumerated().sorted { lhs, rhs in
            lhs.element.1.count != rhs.element.1.count
                ? lhs.element.1.count > rhs.element.1.count : lhs.offset < rhs.offset
        }.map(\.element)
    }

    func construct(_ variant: UnionModel.Variant) -> String {
        "self = .\(variant.caseName)(try \(variant.typeName)(from: decoder))"
    }

    func shapeChain(_ group: [UnionModel.Variant], indent: String) -> [String] {
        var lines: [String] = []
        for (index, (variant, keys)) in shapeOrder(group).enumerated() {
            let condition = keys.map { "container.contains(.\(Naming.escaped(Naming.property($0))))" }
                .joined(separator: ", ")
            let keyword = index == 0 ? "if" : "} else if"
            if keys.isEmpty, index == 0 {
                lines.append("\(indent)\(construct(variant))")
                return lines
            } else if keys.isEmpty {
                lines.append("\(indent)} else {")
            } else {
                lines.append("\(indent)\(keyword) \(condition) {")
            }
            lines.append("\(indent)    \(construct(variant))")
            if keys.isEmpty { lines.append("\(indent)}"); return lines }
        }
        lines.append("\(indent)} else {")
        lines.append("\(indent)    self = .unknown(try JSONValue(from: decoder))")
        lines.append("\(indent)}")
        return lines
    }

    func decoder(_ union: UnionModel) -> [String] {
        var lines = [
            "    /// Decodes the variant named by the wire data, or `unknown` with the raw JSON for one this version",
            "    /// does not know.",
            "    ///",
            "    /// - Throws: `DecodingError` when the value is not an object, or a known variant is malformed.",
            "    public init(from decoder: any Decoder) throws {",
        ]
        if union.hasStringAndArray {
            lines += [
                "        guard let container = try? decoder.container(keyedBy: WireKey.self) else {",
                "            let single = try decoder.singleValueContainer()",
                "            if let text = try? single.decode(String.self) {",
                "                self = .plain(text)",
                "            } else {",
                "                self = .concatenation(try single.decode([\(union.name)].self))",
                "            }",
                "            return",
                "        }",
            ]
        } else {
            lines.append("        let container = try decoder.container(keyedBy: WireKey.self)")
        }
        switch union.strategy {
        case .tag(let key):
            lines.append(
                "        switch try? container.decode(String.self, forKey: .\(Naming.escaped(Naming.property(key)))) {")
            for group in tagGroups(union) {
                lines.append("        case \((group[0].tag ?? "").swiftLiteral):")
                if group.count == 1 {
                    lines.append("            \(construct(group[0]))")
                } else {
                    lines += shapeChain(group, indent: "            ")
                }
            }
            lines.append("        default:")
            lines.append("            self = .unknown(try JSONValue(from: decoder))")
            lines.append("        }")
        case .zeroDate:
            let inaccessible = union.objectVariants.first { $0.typeName == "InaccessibleMessage" }!
            let message = union.objectVariants.first { $0.typeName == "Message" }!
            lines += [
                "        // Bot API: an InaccessibleMessage always has `date == 0`; a Message never does.",
                "        switch try? container.decode(Int64.self, forKey: .date) {",
                "        case 0?:",
                "            \(construct(inaccessible))",
                "        case .some:",
                "            \(construct(message))",
                "        case nil:",
                "            self = .unknown(try JSONValue(from: decoder))",
                "        }",
            ]
        case .shape:
            lines.append(
                "        // No discriminator on the wire: the most specific variant whose required keys are present wins."
            )
            lines += shapeChain(union.objectVariants, indent: "        ")
        }
        lines.append("    }")
        return lines
    }

    /// The tape initializer: the same choice as ``decoder(_:)`` (tag, date or shape), read from the tape;
    /// the chosen variant then decodes from the same value. Unions with string or array variants keep only
    /// their `init(from:)`, reached through a materialized subtree.
    func tapeDecoding(_ union: UnionModel) -> [String] {
        let keys = keysUsed(union)
        func position(_ key: String) -> Int { keys.firstIndex(of: key)! }
        func wire(_ key: String) -> String { "WireKey.\(Naming.escaped(Naming.property(key)))" }
        func construct(_ variant: UnionModel.Variant) -> String {
            "self = .\(variant.caseName)(try tape.decodeValue(\(variant.typeName).self, at: index))"
        }
        func shapeChain(_ group: [UnionModel.Variant], indent: String) -> [String] {
            var lines: [String] = []
            for (offset, (variant, required)) in shapeOrder(group).enumerated() {
                if required.isEmpty {
                    if offset == 0 { return [indent + construct(variant)] }
                    return lines + ["\(indent)} else {", "\(indent)    \(construct(variant))", "\(indent)}"]
                }
                let condition = required.map { "has\(position($0))" }.joined(separator: ", ")
                lines.append("\(indent)\(offset == 0 ? "if" : "} else if") \(condition) {")
                lines.append("\(indent)    \(construct(variant))")
            }
            return lines + [
                "\(indent)} else {", "\(indent)    self = .unknown(tape.materialize(at: index))", "\(indent)}",
            ]
        }
        var lines = [
            "extension \(union.name): JSONTapeDecodable {",
            "    private static let tapeKeys = JSONTapeKeys([\(keys.map(\.swiftLiteral).joined(separator: ", "))])",
            "",
            "    init(tape: inout JSONTapeReader, at index: Int) throws {",
            "        let object = try tape.object(at: index, keys: Self.tapeKeys)",
        ]
        switch union.strategy {
        case .tag(let key):
            lines.append("        let tag: String? = try? tape.decode(object, \(position(key)), \(wire(key)))")
        case .zeroDate:
            lines.append("        let date: Int64? = try? tape.decode(object, \(position("date")), \(wire("date")))")
        case .shape:
            break
        }
        var tested: Set<String> = []
        switch union.strategy {
        case .tag:
            for group in tagGroups(union) where group.count > 1 {
                for (_, required) in shapeOrder(group) { tested.formUnion(required) }
            }
        case .zeroDate: break
        case .shape: for variant in union.objectVariants { tested.formUnion(variant.requiredKeys) }
        }
        for key in keys where tested.contains(key) {
            lines.append("        let has\(position(key)) = tape.contains(object, \(position(key)))")
        }
        lines.append("        tape.release(object)")
        switch union.strategy {
        case .tag:
            lines.append("        switch tag {")
            for group in tagGroups(union) {
                lines.append("        case \((group[0].tag ?? "").swiftLiteral):")
                let indent = "            "
                lines += group.count == 1 ? [indent + construct(group[0])] : shapeChain(group, indent: indent)
            }
            lines += ["        default:", "            self = .unknown(tape.materialize(at: index))", "        }"]
        case .zeroDate:
            let inaccessible = union.objectVariants.first { $0.typeName == "InaccessibleMessage" }!
            let message = union.objectVariants.first { $0.typeName == "Message" }!
            lines += [
                "        // Bot API: an InaccessibleMessage always has `date == 0`; a Message never does.",
                "        switch date {",
                "        case 0?:",
                "            \(construct(inaccessible))",
                "        case .some:",
                "            \(construct(message))",
                "        case nil:",
                "            self = .unknown(tape.materialize(at: index))",
                "        }",
            ]
        case .shape:
            lines.append(
                "        // No discriminator on the wire: the most specific variant whose required keys are present wins."
            )
            lines += shapeChain(union.objectVariants, indent: "        ")
        }
        lines += ["    }", "}"]
        return lines
    }

    func encoder(_ union: UnionModel) -> [String] {
        var lines = [
            "    /// Encodes the payload as the bare object (its tag is a field of the payload).",
            "    public func encode(to encoder: any Encoder) throws {",
            "        switch self {",
        ]
        for variant in union.variants {
            lines.append("        case .\(Naming.escaped(variant.caseName))(let value):")
            if variant.typeName == "String" || variant.typeName.hasPrefix("Array of") {
                lines.append("            var container = encoder.singleValueContainer()")
                lines.append("            try container.encode(value)")
            } else {
                lines.append("            try value.encode(to: encoder)")
            }
        }
        lines += [
            "        case .unknown(let raw):",
            "            try raw.encode(to: encoder)",
            "        }",
            "    }",
        ]
        return lines
    }
}
