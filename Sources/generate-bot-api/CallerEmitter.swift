/// Writes one typed convenience function per method as an `extension BotAPICaller` in TGBotAPI:
///
/// ```swift
/// try await bot.sendMessage(chatID: 42, text: "hi")   // == bot.call(SendMessageParameters(chatID: 42, text: "hi"))
/// ```
///
/// The argument labels, types, order and defaults are exactly those of the `…Parameters` initialiser (required
/// parameters first, optional ones defaulted to nil), so the two spellings never drift apart.
struct CallerEmitter {
    let model: Model
    let methods: MethodEmitter

    init(model: Model, methods: MethodEmitter) {
        self.model = model
        self.methods = methods
    }

    /// The file a method's function is written to, relative to `TGBotAPI/Generated`.
    static func fileName(_ method: SpecMethod) -> String {
        "Methods/BotAPICaller+\(Naming.upperFirst(method.name)).swift"
    }

    /// Whether the result may be ignored without a warning: everything except queries (`get…`, `export…`),
    /// whose whole point is their result.
    static func isResultDiscardable(_ method: SpecMethod) -> Bool {
        !(method.name.hasPrefix("get") || method.name.hasPrefix("export"))
    }

    func emit(_ method: SpecMethod) throws -> String {
        var file = SourceFile(spec: model.spec, imports: ["TGBotTypes"])
        let structName = MethodEmitter.structName(method)
        let response = try model.swiftType(method.returns, context: "\(method.name) result")
        let members = StructEmitter.initOrder(try methods.structs.members(of: method.allFields, owner: method.name))
        let attaches = methods.hasAttachments(method)

        var parameters = members.map { member in
            "\(member.property): \(member.declaredType)" + (member.defaultValue.map { " = \($0)" } ?? "")
        }
        var arguments = members.map { "\($0.property): \($0.property)" }
        var parameterDocs = members.map { ($0.property, $0.field.description) }
        if attaches {
            parameters.append("attachments: [InputFile] = []")
            arguments.append("attachments: attachments")
            parameterDocs.append(
                ("attachments", "Files the other parameters reference as `attach://<name>`, sent as multipart parts."))
        }

        file.add("extension BotAPICaller {")
        file.add(Naming.docLines(method.description, indent: "    "))
        file.add("    ///")
        file.add("    /// Calls ``\(structName)`` (`\(method.name)`).")
        file.add("    ///")
        if !parameterDocs.isEmpty {
            file.add("    /// - Parameters:")
            for (name, description) in parameterDocs {
                file.add(Self.parameterDocLines(name: name, description: description))
            }
        }
        file.add("    /// - Returns: `\(method.returns.joined(separator: " or "))`, the call's `result`.")
        file.add(
            "    /// - Throws: `BotAPIError` when Telegram refuses the call, the transport fails or the result "
                + "cannot be")
        file.add("    ///   decoded; `CancellationError` when the task is cancelled.")
        file.add("    /// - SeeAlso: <\(method.href)>")
        if Self.isResultDiscardable(method) { file.add("    @discardableResult") }
        if parameters.isEmpty {
            file.add("    public func \(method.name)() async throws -> \(response) {")
            file.add("        try await call(\(structName)())")
        } else {
            file.add("    public func \(method.name)(")
            for (index, parameter) in parameters.enumerated() {
                file.add("        " + parameter + (index == parameters.count - 1 ? "" : ","))
            }
            file.add("    ) async throws -> \(response) {")
            file.add("        try await call(")
            file.add("            \(structName)(")
            for (index, argument) in arguments.enumerated() {
                file.add("                " + argument + (index == arguments.count - 1 ? "" : ","))
            }
            file.add("            ))")
        }
        file.add("    }")
        file.add("}")
        return file.text
    }

    /// `///   - name: description`, wrapped, with continuation lines indented under the text.
    static func parameterDocLines(name: String, description: String) -> [String] {
        let text = description.isEmpty ? "See the Bot API documentation." : description
        return Naming.docLines(["- \(name): \(text)"], indent: "    ", width: 116).map { line in
            "    ///   " + line.dropFirst("    /// ".count)
        }
    }
}
