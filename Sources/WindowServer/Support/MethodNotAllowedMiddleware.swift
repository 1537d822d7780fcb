import HTTPTypes
import Hummingbird

/// Runs only for requests no route took (it is added after every route): when the path is a
/// known one, the method was wrong, so the answer is 405 with `Allow`, not 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = Self.methods(for: request.uri.path, in: routes)
        guard !allowed.isEmpty, !allowed.contains(request.method) else { return try await next(request, context) }
        throw APIError.methodNotAllowed(allow: allowed)
    }

    /// The methods routed for `path`, in a stable order.
    static func methods(for path: String, in routes: [(path: RouterPath, method: HTTPRequest.Method)]) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = Set(routes.filter { matches(segments, $0.path) }.map(\.method))
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    static func matches(_ segments: [Substring], _ pattern: RouterPath) -> Bool {
        let elements = Array(pattern)
        var index = 0
        for element in elements {
            if element == .recursiveWildcard { return true }  // it takes the rest
            guard index < segments.count, element ~= segments[index] else { return false }
            index += 1
        }
        return index == segments.count
    }
}
