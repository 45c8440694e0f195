/// Writes one `…Parameters` struct per method, conforming to `BotMethod` so a typed client can be
/// generated on top: the method name, the response type and the files to upload are all static facts.
struct MethodEmitter {
    let model: Model
    let structs: StructEmitter
    /// Types whose values can reference multipart parts by `attach://<name>`, directly or nested.
    let attachingTypes: Set<String>

    init(model: Model) {
        self.model = model
        structs = StructEmitter(model: model)
        attachingTypes = Self.findAttachingTypes(model.spec)
    }

    static func findAttachingTypes(_ spec: Spec) -> Set<String> {
        var result = Set(
            spec.types.values.filter { type in type.allFields.contains { $0.description.contains("attach://") } }
                .map(\.name))
        var changed = true
        while changed {
            changed = false
            for type in spec.types.values where !result.contains(type.name) {
                let references = (type.subtypes ?? []) + type.allFields.flatMap(\.types)
                if references.contains(where: { result.contains(Model.elementTypeName($0).name) }) {
                    result.insert(type.name)
                    changed = true
                }
            }
        }
        return result
    }

    /// Whether a parameter can reference files by `attach://`, so the call takes an `attachments` list.
    func hasAttachments(_ method: SpecMethod) -> Bool {
        method.allFields.contains { field in
            field.types.contains { attachingTypes.contains(Model.elementTypeName($0).name) }
        }
    }

    static func structName(_ method: SpecMethod) -> String { Naming.upperFirst(method.name) + "Parameters" }

    func emit(_ method: SpecMethod) throws -> String {
        var file = SourceFile(spec: model.spec)
        let name = Self.structName(method)
        let response = try model.swiftType(method.returns, context: "\(method.name) result")
        let members = try structs.members(of: method.allFields, owner: method.name)
        let attaches = hasAttachments(method)
        file.add(Naming.docLines(method.description + ["- SeeAlso: <\(method.href)>"], indent: ""))
        file.add("public struct \(name): BotMethod, Hashable {")
        file.add("    /// What Telegram returns on success: `\(method.returns.joined(separator: " or "))`.")
        file.add("    public typealias Response = \(response)")
        file.add("")
        file.add("    /// The Bot API method name, as it appears in the request path.")
        file.add("    public static let methodName = \(method.name.swiftLiteral)")
        file.add("")
        if members.isEmpty {
            file.add(StructEmitter.emptyBody(initDoc: "Creates the (parameter-less) call.", decodable: false))
            file.add("}")
            return file.text
        }
        file.add(StructEmitter.properties(members))
        if attaches {
            file.add(
                Naming.docLines(
                    [
                        "Files referenced from the parameters as `attach://<name>` (each `InputFile.attachmentName`). "
                            + "Not part of the JSON; the client sends them as multipart parts."
                    ], indent: "    "))
            file.add("    public var attachments: [InputFile]")
            file.add("")
        }
        file.add(
            StructEmitter.memberwiseInit(
                members, doc: "Creates the call from its parameters.",
                extraParameters: attaches ? ["attachments: [InputFile] = []"] : [],
                extraAssignments: attaches ? ["self.attachments = attachments"] : []))
        let uploads = uploadLines(members, attaches: attaches)
        if !uploads.isEmpty {
            file.add("")
            file.add(uploads)
        }
        file.add("")
        file.add(StructEmitter.codingKeys(members))
        file.add("}")
        return file.text
    }

    /// `uploads` for methods with file parameters or attachments; the protocol's default is `[]`.
    func uploadLines(_ members: [StructEmitter.Member], attaches: Bool) -> [String] {
        let files = members.filter { $0.swiftType == "InputFile" || $0.swiftType == "InputFileOrString" }
        guard attaches || !files.isEmpty else { return [] }
        let doc = "    /// Files this call uploads, so the client switches to multipart/form-data."
        if files.isEmpty { return [doc, "    public var uploads: [InputFile] { attachments }"] }
        var lines = [
            doc,
            "    public var uploads: [InputFile] {",
            "        var files: [InputFile] = \(attaches ? "attachments" : "[]")",
        ]
        for member in files {
            switch (member.swiftType, member.field.required) {
            case ("InputFile", true): lines.append("        files.append(\(member.property))")
            case ("InputFile", false):
                lines.append("        if let \(member.property) { files.append(\(member.property)) }")
            case (_, true):
                lines.append("        if case .upload(let file) = \(member.property) { files.append(file) }")
            default: lines.append("        if case .upload(let file)? = \(member.property) { files.append(file) }")
            }
        }
        lines += ["        return files", "    }"]
        return lines
    }
}
