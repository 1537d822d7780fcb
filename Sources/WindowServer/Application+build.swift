import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import WindowCore
import WindowStore

public struct StartupError: Error, CustomStringConvertible {
    public var description: String
}

/// What a start did that a person should hear about once.
public struct StartupReport: Sendable {
    public var seededCatalogItems: Int?
    public var initialAdminUsername: String?
    public var initialAdminPassword: String?
    public var initialAdminPasswordFile: String?
}

/// The composition root: reads settings, opens the database, seeds the catalog, makes the
/// first admin and the TLS configuration, and returns the application.
public func buildApplication(
    settings: ServerSettings,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> (some ApplicationProtocol, StartupReport) {
    var report = StartupReport()
    do {
        try FileManager.default.createDirectory(
            at: settings.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
        throw StartupError(description: "cannot create data folder \(settings.dataDirectory.path): \(error.localizedDescription)")
    }

    let database = try AppDatabase.open(path: settings.databasePath)
    if try !database.isCatalogSeeded() {
        let document = try loadCatalog(path: settings.catalogPath)
        if try database.seedCatalogIfNeeded(document) {
            report.seededCatalogItems = document.items.count
            logger.notice("seeded catalog", metadata: ["catalog.items": "\(document.items.count)", "catalog.file": "\(settings.catalogPath)"])
        }
    }
    if let admin = try InitialAdmin.ensure(database: database, passwordFile: settings.initialAdminPasswordPath, logger: logger) {
        report.initialAdminUsername = admin.username
        report.initialAdminPassword = admin.password
        report.initialAdminPasswordFile = admin.passwordFile
    }
    let tls = try TLSSetup.configuration(settings: settings, logger: logger)

    let router = buildRouter(database: database)
    let app = Application(
        router: router,
        server: try .tls(.http1(), tlsConfiguration: tls),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "windowd"),
        onServerRunning: onServerRunning,
        logger: logger
    )
    return (app, report)
}

/// Reads and validates the catalog file; a bad file stops the start with every problem named.
func loadCatalog(path: String) throws -> CatalogDocument {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw StartupError(description: "目录文件不存在 / catalog file not found: \(path)")
    }
    do {
        return try CatalogDocument.load(json: data)
    } catch {
        throw StartupError(description: "\(path): \(error.description)")
    }
}

func buildRouter(database: AppDatabase) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    HealthController(database: database).addRoutes(to: router)
    CatalogController(database: database).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    return router
}
