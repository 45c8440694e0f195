extension MessageEntity {
    /// The part of `text` this entity covers.
    ///
    /// Bot API offsets and lengths count UTF-16 code units, so an emoji outside the BMP counts 2 and a ZWJ
    /// family sequence counts every scalar it is built from. Returns nil when the range is outside the text
    /// or splits a surrogate pair (Telegram never sends that; a hand-made entity might).
    ///
    /// - Parameter text: The message text or caption the entity belongs to.
    public func text(in text: String) -> String? {
        let utf16 = text.utf16
        guard offset >= 0, length >= 0, offset + length <= Int64(utf16.count) else { return nil }
        let start = utf16.index(utf16.startIndex, offsetBy: Int(offset))
        let end = utf16.index(start, offsetBy: Int(length))
        guard let scalarStart = start.samePosition(in: text.unicodeScalars),
            let scalarEnd = end.samePosition(in: text.unicodeScalars)
        else { return nil }
        return String(text.unicodeScalars[scalarStart..<scalarEnd])
    }
}

extension Message {
    /// The entities of the text, or of the caption for media messages, with the text each one covers.
    ///
    /// - Parameter type: Only entities of this type (`"bot_command"`, `"url"`, …); nil for all.
    public func entityTexts(ofType type: String? = nil) -> [(entity: MessageEntity, text: String)] {
        let (source, entities) = text.map { ($0, self.entities ?? []) } ?? (caption ?? "", captionEntities ?? [])
        return entities.compactMap { entity in
            guard type == nil || entity.type == type, let covered = entity.text(in: source) else { return nil }
            return (entity, covered)
        }
    }
}
