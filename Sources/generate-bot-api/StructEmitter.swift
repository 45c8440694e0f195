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

    /// Structs with more stored properties than this keep them in one ``CopyOnWriteStorage`` cell (see
    /// ``copyOnWriteBody(_:typeName:)``): above it, copying the struct field by field (a retain per string,
    /// array and optional reference — ~80 for `Message`) costs more than one retain plus an allocation per
    /// decoded value. 20 puts `Message`, `ChatFullInfo`, `ExternalReplyInfo`, `Poll` and the
    /// administrator/restricted `ChatMember`s behind storage and leaves `User`, `Chat` and other small,
    /// frequently built types as plain structs.
    static let copyOnWriteThreshold = 20

    func emit(_ type: SpecType) throws -> String {
        var file = SourceFile(spec: model.spec)
        file.add(Naming.docLines(type.description + ["- SeeAlso: <\(type.href)>"], indent: ""))
        file.add("public struct \(type.name): Codable, Sendable, Hashable {")
        var members = try members(of: type.allFields, owner: type.name)
        let usesStorage = members.count > Self.copyOnWriteThreshold
        if members.isEmpty {
            file.add(Self.emptyBody(initDoc: "Creates the (field-less) value."))
        } else if usesStorage {
            // The storage cell already breaks any recursion through this type, so nothing needs a box.
            members = members.map { member in
                var member = member
                member.isBoxed = false
                return member
            }
            file.add(Self.copyOnWriteBody(members, typeName: type.name))
        } else {
            file.add(Self.properties(members))
            file.add(Self.memberwiseInit(members, doc: "Creates a value from its fields."))
            file.add("")
            file.add(Self.codingKeys(members))
        }
        file.add("}")
        if usesStorage {
            file.add("")
            file.add([
                "extension \(type.name): JSONTapeDecodable {",
                "    init(tape: inout JSONTapeReader, at index: Int) throws {",
                "        storage = CopyOnWriteStorage(try Fields(tape: &tape, at: index))",
                "    }",
                "}",
                "",
            ])
            file.add(Self.tapeDecoding(members, extending: "\(type.name).Fields", conformance: false))
        } else if !members.isEmpty {
            file.add("")
            file.add(Self.tapeDecoding(members, extending: type.name, conformance: true))
        }
        return file.text
    }

    /// The tape initializer: the object's members resolved to fields once, then each field read in
    /// declaration order (as the synthesized `init(from:)` does, so the first failing field is the same one).
    static func tapeDecoding(_ members: [Member], extending typeName: String, conformance: Bool) -> [String] {
        var lines = ["extension \(typeName)\(conformance ? ": JSONTapeDecodable" : "") {"]
        lines.append("    private static let tapeKeys = JSONTapeKeys([")
        lines += members.map { "        \($0.field.name.swiftLiteral)," }
        lines += [
            "    ])",
            "",
            "    init(tape: inout JSONTapeReader, at index: Int) throws {",
            "        let object = try tape.object(at: index, keys: Self.tapeKeys)",
        ]
        for (position, member) in members.enumerated() {
            let read = member.field.required ? "decode" : "decodeIfPresent"
            let key = Naming.escaped(member.storage)
            lines.append("        self.\(key) = try tape.\(read)(object, \(position), CodingKeys.\(key))")
        }
        lines += ["        tape.release(object)", "    }", "}"]
        return lines
    }

    /// The body of a struct whose fields live in a ``CopyOnWriteStorage``: the same public properties
    /// (reading through the cell, writing after making it unique), memberwise init, `Codable` and `Hashable`
    /// as the plain struct, all delegated to a private `Fields` struct that has the synthesized ones.
    static func copyOnWriteBody(_ members: [Member], typeName: String) -> [String] {
        var lines: [String] = []
        for member in members {
            lines += Naming.docLines([member.field.description], indent: "    ")
            lines += [
                "    public var \(member.property): \(member.declaredType) {",
                "        get { storage.value.\(Naming.escaped(member.property)) }",
                "        set { uniqueStorage().value.\(Naming.escaped(member.property)) = newValue }",
                "    }",
                "",
            ]
        }
        lines += ["    /// Creates a value from its fields.", "    public init("]
        let parameters = initOrder(members).map { member in
            "        \(member.property): \(member.declaredType)" + (member.defaultValue.map { " = \($0)" } ?? "")
        }
        for (index, parameter) in parameters.enumerated() {
            lines.append(parameter + (index == parameters.count - 1 ? "" : ","))
        }
        lines += ["    ) {", "        storage = CopyOnWriteStorage("]
        lines.append("            Fields(")
        for (index, member) in members.enumerated() {
            let comma = index == members.count - 1 ? "" : ","
            lines.append("                \(member.property): \(Naming.escaped(member.property))\(comma)")
        }
        lines += [
            "            ))",
            "    }",
            "",
            "    /// Decodes the fields from an object, like a synthesized `init(from:)`.",
            "    public init(from decoder: any Decoder) throws {",
            "        storage = CopyOnWriteStorage(try Fields(from: decoder))",
            "    }",
            "",
            "    /// Encodes the fields as an object, like a synthesized `encode(to:)`.",
            "    public func encode(to encoder: any Encoder) throws {",
            "        try storage.value.encode(to: encoder)",
            "    }",
            "",
            "    /// Equal when every field is equal.",
            "    public static func == (lhs: \(typeName), rhs: \(typeName)) -> Bool {",
            "        lhs.storage === rhs.storage || lhs.storage.value == rhs.storage.value",
            "    }",
            "",
            "    /// Hashes every field.",
            "    public func hash(into hasher: inout Hasher) {",
            "        storage.value.hash(into: &hasher)",
            "    }",
            "",
            "    /// The fields, shared between copies until one of them is written.",
            "    private var storage: CopyOnWriteStorage<Fields>",
            "",
            "    /// The storage, first copied if another value shares it.",
            "    private mutating func uniqueStorage() -> CopyOnWriteStorage<Fields> {",
            "        if !isKnownUniquelyReferenced(&storage) { storage = CopyOnWriteStorage(storage.value) }",
            "        return storage",
            "    }",
            "",
            "    /// The stored fields, with the synthesized `Codable` and `Hashable` of a plain struct.",
            "    fileprivate struct Fields: Codable, Sendable, Hashable {",
        ]
        for member in members {
            lines.append("        var \(member.property): \(member.declaredType)")
        }
        lines.append("")
        lines += codingKeys(members).map { "    " + $0 }
        lines.append("    }")
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
