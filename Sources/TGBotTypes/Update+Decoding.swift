extension Update.Kind {
    /// The payload field of an update: the first known kind present (spec order), otherwise the first
    /// other member in sorted order, so the choice is deterministic. Nil when there is only `update_id`.
    static func payloadName(in members: [String: JSONValue]) -> String? {
        if let known = knownNames.first(where: { members[$0] != nil }) { return known }
        return members.keys.filter { $0 != "update_id" }.min()
    }

    /// The kind of an update decoded through a `Decoder`; never throws.
    init(decodingFrom container: KeyedDecodingContainer<UpdateCodingKey>, members: [String: JSONValue]) {
        guard let name = Self.payloadName(in: members) else {
            self = .unknown(name: "", raw: .null)
            return
        }
        let payload = members[name] ?? .null
        do {
            self = try Self.decodeKnown(name: name, from: container) ?? .unknown(name: name, raw: payload)
        } catch {
            self = .undecodable(name: name, raw: payload, error: Self.describe(error))
        }
    }

    /// A one-line account of a decoding failure with its JSON path: `missing field 'date' at message.date`.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' at \(path(context.codingPath + [key]))"
        case .typeMismatch(let type, let context):
            return "wrong type at \(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "null at \(path(context.codingPath)) where \(type) belongs"
        case .dataCorrupted(let context):
            return "invalid value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
