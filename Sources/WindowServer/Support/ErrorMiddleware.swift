import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WindowAPITypes
import WindowCore
import WindowStore

/// Renders every failure as the JSON error body with the right status, so no route has to.
/// Unexpected errors become a 500 whose details go to the log, not to the caller.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.render(error, context: context)
        } catch let error as HTTPError {
            return Self.render(Self.translate(error), context: context)
        } catch is NIOTooManyBytesError {
            return Self.render(APIError(.contentTooLarge, code: .payloadTooLarge, message: "请求内容过大 / request body too large"), context: context)
        } catch let error as QueueError {
            return Self.render(APIError(error), context: context)
        } catch let error as StoreConflict {
            return Self.render(APIError(.conflict, code: .conflict, message: error.message), context: context)
        } catch let error as DecodingError {
            return Self.render(
                APIError(.badRequest, code: .invalidBody, message: "请求内容无效 / invalid request body: \(error.summary)"),
                context: context
            )
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Self.render(
                APIError(.internalServerError, code: .internal, message: "服务器内部错误 / internal server error"),
                context: context
            )
        }
    }

    static func translate(_ error: HTTPError) -> APIError {
        let status = error.status
        let code: APIErrorCode
        let message: String
        switch status {
        case .notFound:
            code = .notFound; message = "找不到该资源 / not found"
        case .methodNotAllowed:
            code = .methodNotAllowed; message = "不支持该请求方法 / method not allowed"
        case .contentTooLarge:
            code = .payloadTooLarge; message = "请求内容过大 / request body too large"
        case .unauthorized:
            code = .unauthorized; message = "需要登录 / authentication required"
        case .forbidden:
            code = .forbidden; message = "无权访问 / forbidden"
        case .badRequest:
            // Hummingbird's own 400s come from decoding the request body.
            code = .invalidBody; message = "请求内容无效 / invalid request body"
        default:
            code = status.code < 500 ? .clientError : .serverError
            message = status.reasonPhrase
        }
        // Hummingbird's own messages (e.g. which body was too large) are kept in English after ours.
        if let detail = error.body, !detail.isEmpty, status.code < 500 {
            return APIError(status, code: code, message: "\(message): \(detail)")
        }
        return APIError(status, code: code, message: message)
    }

    static func render(_ error: APIError, context: Context) -> Response {
        let body = ErrorBody(error: .init(
            code: error.code, message: error.message, nextOpening: error.nextOpening, lockedUntil: error.lockedUntil,
            problems: error.problems, changes: error.changes, conflicts: error.conflicts))
        let data = (try? AppJSON.encoder.encode(body)) ?? Data(#"{"error":{"code":"internal","message":"internal"}}"#.utf8)
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.contentLength] = String(data.count)
        if error.status == .upgradeRequired {
            headers[.upgrade] = "websocket"
            headers[.connection] = "Upgrade"
        }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
