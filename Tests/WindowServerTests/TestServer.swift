import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import ServiceLifecycle
import WindowCore
import WindowServer

/// Paths into the repository, for the shipped catalog.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalogPath = root.appendingPathComponent("catalog/items.json").path
}

/// A temporary data folder, removed when the test ends.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("windowd-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(at: url.appendingPathExtension("secrets"))  // the keys beside the data folder
    }
}

/// A real `windowd` on a loopback port over TLS, with a client that trusts only the
/// development CA the server made, as a kiosk or browser would.
struct TestServer {
    let port: Int
    let client: HTTPClient
    let report: StartupReport
    let settings: ServerSettings
    /// Starts the graceful shutdown while the test still runs (it is also started after the body).
    let shutDown: @Sendable () async -> Void

    var baseURL: String { "https://localhost:\(port)" }

    /// Starts the server with `settings` (port 0), runs `body`, then shuts it down gracefully.
    static func with<T: Sendable>(
        dataDirectory: URL,
        catalogPath: String = Repository.catalogPath,
        policy: RoutingPolicy = RoutingPolicy(),
        adjust: (inout ServerSettings) -> Void = { _ in },
        limits: ServerLimits = ServerLimits(),
        logger: Logger? = nil,
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        var settings = ServerSettings(
            dataDirectory: dataDirectory, host: "127.0.0.1", port: 0, catalogPath: catalogPath, policy: policy,
            timerInterval: .milliseconds(50), limits: limits)
        settings.passwordCost = 6  // real bcrypt, cheap enough for many servers at once
        adjust(&settings)
        let logger = logger ?? {
            var logger = Logger(label: "windowd-test")
            logger.logLevel = .warning
            return logger
        }()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let (app, report) = try await buildApplication(settings: settings, logger: logger) { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await serviceGroup.run() }
            var iterator = portStream.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestServerError.didNotStart }

            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(settings.tlsDirectory.appendingPathComponent("ca.pem").path)
            tls.certificateVerification = .fullVerification
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
            configuration.redirectConfiguration = .disallow  // tests look at redirects themselves
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 80  // the concurrency tests open many at once
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let server = TestServer(port: port, client: client, report: report, settings: settings) { await serviceGroup.triggerGracefulShutdown() }
            do {
                let result = try await body(server)
                try await client.shutdown()
                await serviceGroup.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                try? await client.shutdown()
                await serviceGroup.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    enum TestServerError: Error { case didNotStart }

    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do {
                return try decoder.decode(type, from: body)
            } catch {
                throw DecodeFailure(status: status, body: String(decoding: body, as: UTF8.self), error: "\(error)")
            }
        }

        /// The body as loose JSON, for reading a field or two.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
        }
    }

    var clientTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(settings.tlsDirectory.appendingPathComponent("ca.pem").path)
        return tls
    }

    /// A JSON request with a bearer token.
    func call(_ method: HTTPMethod, _ path: String, token: String?, json: (any Encodable)? = nil) async throws -> Reply {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let body = try json.map { try JSONEncoder().encode($0) }
        return try await request(method, path, body: body, headers: headers)
    }

    func request(_ method: HTTPMethod = .GET, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(data: body))
            if headers["Content-Type"] == nil { request.headers.add(name: "Content-Type", value: "application/json") }
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Data(buffer: buffer)
        )
    }
}

/// The JSON error body every failure carries.
struct ErrorReply: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
        var problems: [CatalogProblem]?
        var changes: [CatalogChange]?
        var conflicts: [CatalogConflict]?
    }
    var error: Detail
}

struct DecodeFailure: Error, CustomStringConvertible {
    var status: Int
    var body: String
    var error: String
    var description: String { "HTTP \(status) \(body): \(error)" }
}
