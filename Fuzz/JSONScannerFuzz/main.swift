// libFuzzer target for JSONScanner (Sources/TGBotTypes/JSONScanner.swift).
//
// Built by scripts/fuzz-http-parser with plain swiftc, compiled together with JSONScanner.swift and
// RawUpdate.swift as one module named TGBotTypes. The whole input is the document.
//
// Checks (a violation traps, which libFuzzer reports as a crash):
//   * nothing traps, whatever the bytes (bounds, overflow, deep nesting);
//   * the scanner agrees with itself: `updateID(in:)` and `validate(_:)` share the grammar, so
//       - updateID succeeds, or fails with notAnObject / missingUpdateID / updateIDNotInteger  ⇒  validate
//         succeeds, and so does duplicateUpdateID (reported only after the whole document is scanned);
//       - updateID fails with malformedJSON  ⇒  validate fails too (with the same offset unless the top
//         level is an object, where the two take different code paths);
//       - a malformedJSON offset lies within the input;
//   * oracle, in the sound direction only — valid per the scanner ⇒ Foundation's JSONSerialization parses it:
//       - validate succeeds  ⇒  JSONSerialization.jsonObject(with:options: .fragmentsAllowed) succeeds;
//       - updateID returns X  ⇒  the result is a dictionary whose "update_id" is a number equal to X;
//       - updateID says missingUpdateID  ⇒  that dictionary has no "update_id" key;
//       - updateID says notAnObject  ⇒  the result is not a dictionary.
//     The other direction is not checked: JSONSerialization is not a strict RFC 8259 validator (it is
//     free to accept extras), and the scanner deliberately refuses some valid JSON: nesting deeper than
//     JSONScanner.maxDepth, an update_id written as 1.0 / 1e2, or one repeated.
//     Where the scanner is deliberately more permissive than Foundation, a refusal by Foundation is
//     tolerated and counted (printed at exit): \u escapes of lone UTF-16 surrogates, which RFC 8259 §8.2
//     leaves grammatical (README J1), and numbers beyond Double's range such as 1e400, which RFC 8259 §9
//     lets a parser refuse (README J3). Set FUZZ_JSON_STRICT=1 to treat those as violations too. The
//     scanner bugs J2 and J4 found by earlier runs are fixed and always trap.
//
// The Foundation oracle is slow compared with the scanner; it runs only on inputs the scanner accepts.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@inline(never)
func violation(_ message: String, _ input: [UInt8]) -> Never {
    var text = "JSONScannerFuzz invariant violated: \(message)\ninput (\(input.count) bytes): "
    text += String(
        decoding: input.prefix(600).map { ($0 >= 0x20 && $0 < 0x7F) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
    text += "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
}

let strict: Bool = {
    guard let v = getenv("FUZZ_JSON_STRICT") else { return false }
    return String(cString: v) == "1"
}()

/// Whether the bytes contain a `\u` escape of a UTF-16 surrogate (D800–DFFF). Consulted only after
/// Foundation refused a document, to attribute the refusal to J1.
func hasSurrogateEscape(_ b: [UInt8]) -> Bool {
    var i = 0
    while i + 5 < b.count {
        if b[i] == UInt8(ascii: "\\") {
            if b[i + 1] == UInt8(ascii: "u") && (b[i + 2] | 0x20) == UInt8(ascii: "d") {
                let c = b[i + 3] | 0x20
                if (c >= UInt8(ascii: "8") && c <= UInt8(ascii: "9"))
                    || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
                {
                    return true
                }
            }
            i += 2  // skip the escaped character, so "\\ud800" (escaped backslash) is not an escape
        } else {
            i += 1
        }
    }
    return false
}

/// Whether Foundation's value for update_id is the integer `x`. Foundation gives an NSNumber holding an
/// Int or, for large magnitudes, an NSDecimalNumber (whose doubleValue is rounded): compare exactly, through
/// int64Value and the decimal text, never through Double.
func number(_ value: Any, equals x: Int64) -> Bool {
    guard let n = value as? NSNumber, n.int64Value == x else { return false }
    if let i = value as? Int64 { return i == x }
    return n.stringValue == String(x)
}

nonisolated(unsafe) var skippedSurrogate = 0
nonisolated(unsafe) var skippedRange = 0
nonisolated(unsafe) var skippedBOMKey = 0

/// Whether some string in the bytes holds a raw U+FEFF (EF BB BF past the document's own BOM).
func hasRawBOMInString(_ b: [UInt8]) -> Bool {
    var i = (b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) ? 3 : 0
    while i + 2 < b.count {
        if b[i] == 0xEF && b[i + 1] == 0xBB && b[i + 2] == 0xBF { return true }
        i += 1
    }
    return false
}

nonisolated(unsafe) var oracleChecked = 0

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInit(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    atexit {
        let line =
            "JSONScannerFuzz: oracle checked \(oracleChecked) accepted inputs, skipped \(skippedSurrogate) refused for surrogate escapes (J1), \(skippedRange) for number range (J3); \(skippedBOMKey) key checks skipped for a raw U+FEFF in a string (F1)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    var idResult: Result<Int64, RawUpdateError>
    do throws(RawUpdateError) {
        idResult = .success(try JSONScanner.updateID(in: bytes))
    } catch {
        idResult = .failure(error)
    }
    var validateError: RawUpdateError?
    do throws(RawUpdateError) {
        try JSONScanner.validate(bytes)
    } catch {
        validateError = error
    }

    // Self-consistency.
    if case .malformedJSON(let offset, _)? = validateError, offset < 0 || offset > size {
        violation("validate offset \(offset) outside input", bytes)
    }
    if let validateError, case .malformedJSON = validateError {
    } else if let validateError {
        violation("validate threw a non-syntax error \(validateError)", bytes)
    }
    switch idResult {
    case .success, .failure(.notAnObject), .failure(.missingUpdateID), .failure(.updateIDNotInteger),
        .failure(.duplicateUpdateID):
        if let validateError { violation("updateID gave \(idResult) but validate says \(validateError)", bytes) }
    case .failure(.malformedJSON(let offset, let reason)):
        if offset < 0 || offset > size { violation("updateID offset \(offset) outside input", bytes) }
        guard case .malformedJSON(let vOffset, _)? = validateError else {
            violation("updateID says malformed (\(reason) at \(offset)) but validate accepts", bytes)
        }
        // Same path for non-objects: the offsets must agree.
        var k = 0
        if size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { k = 3 }
        while k < size && (bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == 0x09) { k += 1 }
        if k < size && bytes[k] != UInt8(ascii: "{") && vOffset != offset {
            violation("offsets differ: updateID \(offset), validate \(vOffset)", bytes)
        }
    }

    // Oracle, only for documents the scanner accepts.
    guard validateError == nil else { return 0 }
    let parsed: Any
    do {
        parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    } catch {
        // Known, documented divergences where the scanner is deliberately more permissive (README J1, J3).
        if !strict {
            if hasSurrogateEscape(bytes) {
                skippedSurrogate += 1
                return 0
            }
            if "\(error)".contains("not representable") {
                skippedRange += 1
                return 0
            }
        }
        violation("scanner accepts but JSONSerialization refuses: \(error)", bytes)
    }
    oracleChecked += 1
    let dict = parsed as? [String: Any]
    // F1 (a Foundation quirk, README): on Linux JSONSerialization drops a raw U+FEFF at the start of a
    // string or right after an escape in it, keys included, so "\u{FEFF}update_id" and "update\u005f\u{FEFF}id"
    // both come back as "update_id". Key checks are skipped for inputs with a raw U+FEFF in a string.
    if !strict && hasRawBOMInString(bytes), dict != nil {
        skippedBOMKey += 1
        return 0
    }
    switch idResult {
    case .success(let x):
        guard let dict else { violation("updateID \(x) but JSONSerialization gives no object", bytes) }
        guard let v = dict["update_id"] else {
            violation("updateID \(x) but no update_id key in Foundation's object", bytes)
        }
        if !number(v, equals: x) { violation("updateID \(x) but Foundation has \(v)", bytes) }
    case .failure(.missingUpdateID):
        guard let dict else { violation("missingUpdateID but JSONSerialization gives no object", bytes) }
        if let v = dict["update_id"] { violation("missingUpdateID but Foundation finds update_id = \(v)", bytes) }
    case .failure(.notAnObject):
        if dict != nil { violation("notAnObject but JSONSerialization gives an object", bytes) }
    default:
        break
    }
    return 0
}
