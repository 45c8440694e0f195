/// Maps a method and an exact path to an async handler.
///
/// ```swift
/// var router = Router()
/// router.on(.get, "/healthz") { _ in HTTPResponse(status: .ok, text: "ok\n") }
/// ```
///
/// A path with handlers but not for the request's method answers 405 with `Allow`; an unknown path 404.
/// `HEAD` is served by the `GET` handler, with the body left out by the server.
public struct Router: Sendable {
    /// A request handler. Thrown errors become their ``HTTPResponseError`` response, or 500.
    public typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    /// The outcome of matching a request against the routes.
    public enum Resolution: Sendable {
        case handler(Handler)
        case notFound
        case methodNotAllowed(allow: String)
    }

    private var routes: [String: [HTTPMethod: Handler]] = [:]

    /// Creates an empty router.
    public init() {}

    /// Adds (or replaces) the handler for `method` on `path`.
    public mutating func on(_ method: HTTPMethod, _ path: String, handler: @escaping Handler) {
        routes[path, default: [:]][method] = handler
    }

    /// Finds the handler for a request.
    public func resolve(method: HTTPMethod, path: String) -> Resolution {
        guard let methods = routes[path] else { return .notFound }
        if let handler = methods[method] { return .handler(handler) }
        if method == .head, let handler = methods[.get] { return .handler(handler) }
        var allowed = methods.keys.map(\.rawValue)
        if methods[.get] != nil && methods[.head] == nil { allowed.append("HEAD") }
        return .methodNotAllowed(allow: allowed.sorted().joined(separator: ", "))
    }
}

/// An error that knows the response it should produce, so handlers can `throw` a 4xx.
public protocol HTTPResponseError: Error {
    /// The status to answer with.
    var status: HTTPStatus { get }
    /// The response to send; by default a plain-text body with the error's description.
    func response() -> HTTPResponse
}

extension HTTPResponseError {
    public func response() -> HTTPResponse {
        HTTPResponse(status: status, text: "\(String(describing: self))\n")
    }
}

extension HTTPParseError: HTTPResponseError {}
