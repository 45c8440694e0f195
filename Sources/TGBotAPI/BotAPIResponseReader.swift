import FoundationEssentials
import TGBotTypes

/// Reads a Bot API answer — `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …,
/// "parameters": {…}}` — into a result or a ``BotAPIError``. The envelope is interpreted here and nowhere else.
///
/// Mapping (the HTTP status matters only when the body is not an envelope):
/// - an envelope with `ok: false` → `.api`, with `parameters.retry_after` / `migrate_to_chat_id` lifted;
///   `error_code` defaults to the HTTP status if absent;
/// - `ok: true` with a `result` of the wrong type, or a 2xx body that is not an envelope → `.decoding`;
/// - a non-2xx status without an envelope (a proxy's "502 Bad Gateway" page) → `.transport` with an
///   ``UnexpectedHTTPStatus``.
struct BotAPIResponseReader {
    let method: String
    let redaction: Redaction

    /// The fast path: one parse yields the result when all is well.
    private struct Envelope<Result: Decodable>: Decodable {
        var ok: Bool
        var result: Result?
        var errorCode: Int?
        var description: String?
        var parameters: ResponseParameters?

        enum CodingKeys: String, CodingKey {
            case ok, result, description, parameters
            case errorCode = "error_code"
        }
    }

    /// The envelope without its result, to classify a body the fast path could not read.
    private struct Head: Decodable {
        var ok: Bool
        var errorCode: Int?
        var description: String?
        var parameters: ResponseParameters?

        enum CodingKeys: String, CodingKey {
            case ok, description, parameters
            case errorCode = "error_code"
        }
    }

    func read<Result: Decodable>(_ type: Result.Type, from response: BotAPITransportResponse) throws -> Result {
        let decoder = JSONDecoder()
        let resultError: any Error
        do {
            let envelope = try decoder.decode(Envelope<Result>.self, from: response.body)
            if !envelope.ok {
                throw apiError(
                    code: envelope.errorCode, description: envelope.description, parameters: envelope.parameters,
                    status: response.status)
            }
            if let result = envelope.result { return result }
            // `"result": null` or no result at all: let the type decide whether null is acceptable.
            if let result = try? decoder.decode(Result.self, from: Data("null".utf8)) { return result }
            throw DecodingError.keyNotFound(
                Envelope<Result>.CodingKeys.result,
                DecodingError.Context(codingPath: [], debugDescription: "ok is true but there is no result"))
        } catch let error as BotAPIError {
            throw error
        } catch {
            resultError = error
        }
        if let head = try? decoder.decode(Head.self, from: response.body) {
            if !head.ok {
                throw apiError(
                    code: head.errorCode, description: head.description, parameters: head.parameters,
                    status: response.status)
            }
            // A well-formed envelope whose result has the wrong shape.
            throw BotAPIError.decoding(
                method: method, underlying: redaction.scrub(resultError), bodyPrefix: bodyPrefix(response.body))
        }
        if !(200..<300).contains(response.status) {
            throw BotAPIError.transport(
                method: method,
                underlying: UnexpectedHTTPStatus(status: response.status, bodyPrefix: bodyPrefix(response.body)))
        }
        throw BotAPIError.decoding(
            method: method, underlying: redaction.scrub(resultError), bodyPrefix: bodyPrefix(response.body))
    }

    private func apiError(
        code: Int?, description: String?, parameters: ResponseParameters?, status: Int
    ) -> BotAPIError {
        BotAPIError.api(
            method: method, code: code ?? status,
            description: redaction.scrub(description ?? "HTTP \(status) without a description"),
            retryAfter: parameters?.retryAfter.map { Int(clamping: $0) },
            migrateToChatID: parameters?.migrateToChatID)
    }

    /// The first ``BotAPIError/bodyPrefixLimit`` characters of `body`, as text, scrubbed.
    private func bodyPrefix(_ body: Data) -> String {
        let text = String(decoding: body.prefix(BotAPIError.bodyPrefixLimit * 4), as: UTF8.self)
        return redaction.scrub(String(text.prefix(BotAPIError.bodyPrefixLimit)))
    }
}

/// An HTTP error status whose body is not a Bot API envelope — typically a reverse proxy's error page
/// ("502 Bad Gateway") in front of the Bot API server. The ``BotAPIError/underlying`` of such a transport error.
public struct UnexpectedHTTPStatus: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code.
    public let status: Int
    /// The start of the body, scrubbed of the token.
    public let bodyPrefix: String

    /// Creates the error.
    public init(status: Int, bodyPrefix: String) {
        self.status = status
        self.bodyPrefix = bodyPrefix
    }

    public var description: String { "HTTP \(status) without a Bot API envelope" }
}
