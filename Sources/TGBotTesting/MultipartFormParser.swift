/// Splits a `multipart/form-data` body (RFC 7578) into parts, for ``FakeBotAPIServer``'s records.
///
/// Strict enough to catch a malformed encoder: the body must start with the boundary delimiter, every part
/// needs a `Content-Disposition` with a `name`, and the body must end with the close delimiter.
struct MultipartFormParser {
    /// One part: its name, optional filename and content type, and bytes.
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var data: [UInt8]
    }

    /// A body that does not follow RFC 7578.
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// The `boundary` parameter of a `multipart/form-data` content type, if present.
    static func boundary(fromContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingSpaces()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) throws(ParseError) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard body.starts(with: delimiter) else { throw ParseError(description: "body does not start with boundary") }
        var parts: [Part] = []
        var index = delimiter.count
        for _ in 0..<10_000 {
            // After a delimiter: "--" closes the body, "\r\n" starts a part.
            if body[index...].starts(with: Array("--".utf8)) { return parts }
            guard body[index...].starts(with: Array("\r\n".utf8)) else {
                throw ParseError(description: "bad delimiter line at byte \(index)")
            }
            index += 2
            guard let headEnd = find(Array("\r\n\r\n".utf8), in: body, from: index) else {
                throw ParseError(description: "part headers never end")
            }
            let head = String(decoding: body[index..<headEnd], as: UTF8.self)
            guard let next = find(separator, in: body, from: headEnd + 4) else {
                throw ParseError(description: "part at byte \(index) is not closed by a boundary")
            }
            parts.append(try part(head: head, data: Array(body[(headEnd + 4)..<next])))
            index = next + separator.count
        }
        throw ParseError(description: "too many parts")
    }

    private static func part(head: String, data: [UInt8]) throws(ParseError) -> Part {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in head.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { throw ParseError(description: "bad part header \(line)") }
            let value = pair[1].trimmingSpaces()
            switch pair[0].lowercased() {
            case "content-disposition":
                for parameter in value.split(separator: ";").dropFirst() {
                    let kv = parameter.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { continue }
                    let text = String(kv[1].trimmingSpaces().dropFirst().dropLast())
                    switch kv[0].trimmingSpaces() {
                    case "name": name = text
                    case "filename": filename = text
                    default: break
                    }
                }
            case "content-type": contentType = value
            default: break
            }
        }
        guard let name else { throw ParseError(description: "part without a name: \(head)") }
        return Part(name: name, filename: filename, contentType: contentType, data: data)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
