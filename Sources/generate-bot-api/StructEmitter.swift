/// Writes one `struct` per spec object type, with explicit `CodingKeys` and a memberwise `init`.
struct StructEmitter {
    let model: Model
    /// `subtype name → (discriminator key, value)`, so `init` can default the tag.
    let tags: [String: (key: String, value: String)]

    init(model: Model) {
        self.model = model
        var tags: [String: (key: String, value: String)] = [:]
        for union in model.unions.values {
            guard case .tag(let key) = union.strategy else { continue }
            for variant in union.objectVariants { tags[variant.typeName] = (key, variant.tag ?? "") }
        }
        self.tags = tags
    }

    /// One resolved field or parameter.
    struct Member {
        var field: SpecField
        var property: String
        var swiftType: String
        var isBoxed: Bool
        var defaultValue: String?

        var declaredType: String { field.required ? swiftType : swiftType + "?" }
        var storage: String { isBoxed ? "_" + property : property }
    }

    func members(of fields: [SpecField], owner: String) throws -> [Member] {
        try fields.map { field in
            let boxed = model.boxedFields[owner]?.contains(field.name) ?? false
            var defaultValue: String?
            if let tag = tags[owner], tag.key == field.name { defaultValue = tag.value.swiftLiteral }
            if !field.required { defaultValue = "nil" }
            return Member(
                field: field, property: Naming.property(field.name),
                swiftType: try model.swiftType(field.types, context: "\(owner).\(field.name)"),
                isBoxed: boxed, defaultValue: defaultValue)
        }
    }

    func emit(_ type: SpecType) throws -> String {
        var file = SourceFile(spec: model.spec)
        file.add(Naming.docLines(type.description + ["- SeeAlso: <\(type.href)>"], indent: ""))
        file.add("public struct \(type.name): Codable, Sendable, Hashable {")
        let members = try members(of: type.allFields, owner: type.name)
        if members.isEmpty {
            file.add(Self.emptyBody(initDoc: "Creates the (field-less) value."))
        } else {
            file.add(Self.properties(members))
            file.add(Self.memberwiseInit(members, doc: "Creates a value from its fields."))
            file.add("")
            file.add(Self.codingKeys(members))
        }
        file.add("}")
        if !members.isEmpty {
            file.add("")
            file.add(Self.treeDecoding(members, typeName: type.name))
        }
        return file.text
    }

    /// The `JSONTreeDecodable` initializer: each field read by its coding key, in declaration order (as the
    /// synthesized `init(from:)` does, so the first failing field is the same one), without `Decoder`.
    static func treeDecoding(_ members: [Member], typeName: String) -> [String] {
        var lines = [
            "extension \(typeName): JSONTreeDecodable {",
            "    init(jsonTree value: JSONValue, in parent: JSONTreeDecoder?, key: (any CodingKey)?) throws {",
            "        let object = try JSONTreeObject(value, in: parent, key: key)",
        ]
        for member in members {
            let read = member.field.required ? "decode" : "decodeIfPresent"
            lines.append(
                "        self.\(Naming.escaped(member.storage)) = try object.\(read)(CodingKeys.\(Naming.escaped(member.storage)))"
            )
        }
        lines += ["    }", "}"]
        return lines
    }

    static func properties(_ members: [Member]) -> [String] {
        var lines: [String] = []
        for member in members {
            lines += Naming.docLines([member.field.description], indent: "    ")
            if member.isBoxed {
                lines.append("    public var \(member.property): \(member.declaredType) {")
                if member.field.required {
                    lines.append("        get { \(member.storage).value }")
                    lines.append("        set { \(member.storage) = Box(newValue) }")
                } else {
                    lines.append("        get { \(member.storage)?.value }")
                    lines.append("        set { \(member.storage) = newValue.map(Box.init) }")
                }
                lines.append("    }")
                lines.append("")
                let boxType = "Box<\(member.swiftType)>" + (member.field.required ? "" : "?")
                lines.append("    private var \(member.storage): \(boxType)")
            } else {
                lines.append("    public var \(member.property): \(member.declaredType)")
            }
            lines.append("")
        }
        return lines
    }

    /// Required parameters first (spec order), then defaulted ones, so call sites read naturally.
    static func initOrder(_ members: [Member]) -> [Member] {
        members.filter { $0.defaultValue == nil } + members.filter { $0.defaultValue != nil }
    }

    static func memberwiseInit(
        _ members: [Member], doc: String, extraParameters: [String] = [],
        extraAssignments: [String] = []
    ) -> [String] {
        var lines = ["    /// \(doc)", "    public init("]
        var parameters = initOrder(members).map { member in
            "        \(member.property): \(member.declaredType)" + (member.defaultValue.map { " = \($0)" } ?? "")
        }
        parameters += extraParameters.map { "        " + $0 }
        for (index, parameter) in parameters.enumerated() {
            lines.append(parameter + (index == parameters.count - 1 ? "" : ","))
        }
        lines.append("    ) {")
        for member in members {
            if member.isBoxed {
                let value = member.field.required ? "Box(\(member.property))" : "\(member.property).map(Box.init)"
                lines.append("        self.\(member.storage) = \(value)")
            } else {
                lines.append("        self.\(member.property) = \(member.property)")
            }
        }
        lines += extraAssignments.map { "        " + $0 }
        lines.append("    }")
        return lines
    }

    static func codingKeys(_ members: [Member]) -> [String] {
        var lines = ["    private enum CodingKeys: String, CodingKey {"]
        for member in members {
            lines.append("        case \(Naming.escaped(member.storage)) = \(member.field.name.swiftLiteral)")
        }
        lines.append("    }")
        return lines
    }

    /// Field-less objects still read and write `{}`, so a non-object fails as it should.
    static func emptyBody(initDoc: String, decodable: Bool = true) -> [String] {
        var lines = ["    /// \(initDoc)", "    public init() {}", ""]
        if decodable {
            lines += [
                "    /// Reads an empty object; unknown fields are ignored.",
                "    public init(from decoder: any Decoder) throws {",
                "        _ = try decoder.container(keyedBy: CodingKeys.self)",
                "    }",
                "",
            ]
        }
        lines += [
            "    /// Writes `{}`.",
            "    public func encode(to encoder: any Encoder) throws {",
            "        _ = encoder.container(keyedBy: CodingKeys.self)",
            "    }",
            "",
            "    private enum CodingKeys: CodingKey {}",
        ]
        return lines
    }
}
