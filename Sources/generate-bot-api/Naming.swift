import Foundation

/// Swift spellings for spec names, following the house style: lowerCamel properties, acronyms as one
/// case-uniform unit (`_id` → `ID`, `_url` → `URL`), keywords escaped.
enum Naming {
    /// Words written in capitals when they are not the first word of an identifier.
    static let acronyms: [String: String] = [
        "id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "html": "HTML", "ip": "IP", "rtl": "RTL",
        "gif": "GIF", "api": "API",
    ]

    static let keywords: Set<String> = [
        "as", "associatedtype", "break", "case", "catch", "class", "continue", "default", "defer", "deinit",
        "do", "else", "enum", "extension", "fallthrough", "false", "fileprivate", "for", "func", "guard", "if",
        "import", "in", "init", "inout", "internal", "is", "let", "nil", "operator", "private", "protocol",
        "public", "repeat", "rethrows", "return", "self", "static", "struct", "subscript", "super", "switch",
        "throw", "throws", "true", "try", "typealias", "var", "where", "while",
    ]

    /// `file_unique_id` → `fileUniqueID`.
    static func property(_ snake: String) -> String {
        let words = snake.split(separator: "_").map(String.init)
        return camel(words)
    }

    /// `sendMessage` → `SendMessage`.
    static func upperFirst(_ name: String) -> String {
        name.prefix(1).uppercased() + name.dropFirst()
    }

    /// Joins words as lowerCamel, applying acronyms to every word but the first.
    static func camel(_ words: [String]) -> String {
        var result = ""
        for (index, word) in words.enumerated() where !word.isEmpty {
            let lower = word.lowercased()
            if index == 0 {
                result += lower
            } else if let acronym = acronyms[lower] {
                result += acronym
            } else {
                result += lower.prefix(1).uppercased() + lower.dropFirst()
            }
        }
        return result
    }

    /// Splits `InlineQueryResultCachedMpeg4Gif` into `["Inline", "Query", "Result", "Cached", "Mpeg4", "Gif"]`.
    static func camelWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in name {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Escapes a keyword with backticks where it is declared.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// Wraps prose into `///` lines of at most `width` columns at the given indentation.
    static func docLines(_ paragraphs: [String], indent: String, width: Int = 118) -> [String] {
        var lines: [String] = []
        var previousWasListItem = false
        for (index, paragraph) in paragraphs.enumerated() {
            let text = paragraph.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let isListItem = text.hasPrefix("- ") && !text.hasPrefix("- SeeAlso:")
            if index > 0, !(isListItem && previousWasListItem) { lines.append(indent + "///") }
            previousWasListItem = isListItem
            let prefix = indent + "/// "
            let continuation = isListItem ? prefix + "  " : prefix
            var line = prefix
            for word in text.split(separator: " ", omittingEmptySubsequences: true) {
                let atStart = line == prefix || line == continuation
                if !atStart, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = continuation
                }
                line += (line == prefix || line == continuation ? "" : " ") + word
            }
            lines.append(line)
        }
        return lines
    }
}

extension String {
    /// A Swift string literal for this text.
    var swiftLiteral: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
