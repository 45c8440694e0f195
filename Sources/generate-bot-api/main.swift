import Foundation

// generate-bot-api: spec/telegram-bot-api/api.json → Sources/TGBotTypes/Generated,
// Sources/TGBotAPI/Generated (the typed `BotAPICaller` methods) and Tests/TGBotTypesTests/Generated. Run from the
// package root (or pass --root). Output is deterministic: files are written only when their content changes, and
// stale generated files are removed.

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: generate-bot-api [--root <package root>] [--spec <api.json>]\n".utf8))
    exit(2)
}

var root = FileManager.default.currentDirectoryPath
var specPath: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--root":
        guard let value = arguments.popFirst() else { usage() }
        root = value
    case "--spec":
        guard let value = arguments.popFirst() else { usage() }
        specPath = value
    default: usage()
    }
}
let rootURL = URL(fileURLWithPath: root)
let specURL =
    specPath.map { URL(fileURLWithPath: $0) }
    ?? rootURL.appendingPathComponent("spec/telegram-bot-api/api.json")

do {
    let spec = try JSONDecoder().decode(Spec.self, from: Data(contentsOf: specURL))
    let model = try Model(spec: spec)
    let structs = StructEmitter(model: model)
    let unions = UnionEmitter(model: model)
    let methods = MethodEmitter(model: model)
    let callers = CallerEmitter(model: model, methods: methods)

    var sources: [String: String] = [:]
    for type in model.generatedTypes {
        sources["Types/\(type.name).swift"] = type.isUnion ? try unions.emit(type) : try structs.emit(type)
    }
    for method in spec.sortedMethods {
        sources["Methods/\(MethodEmitter.structName(method)).swift"] = try methods.emit(method)
    }
    sources["BotAPISpec.swift"] = try SpecEmitter(model: model).emit()
    var clientSources: [String: String] = [:]
    for method in spec.sortedMethods {
        clientSources[CallerEmitter.fileName(method)] = try callers.emit(method)
    }
    let tests = ["SampleValues.swift": try SampleEmitter(model: model).emit()]

    let writer = OutputWriter()
    try writer.sync(sources, into: rootURL.appendingPathComponent("Sources/TGBotTypes/Generated"))
    try writer.sync(clientSources, into: rootURL.appendingPathComponent("Sources/TGBotAPI/Generated"))
    try writer.sync(tests, into: rootURL.appendingPathComponent("Tests/TGBotTypesTests/Generated"))
    print(
        "generate-bot-api: \(spec.version): \(model.generatedTypes.count) types, \(spec.methods.count) methods; "
            + "\(writer.written) files written, \(writer.removed) removed")
} catch {
    FileHandle.standardError.write(Data("generate-bot-api: \(error)\n".utf8))
    exit(1)
}
