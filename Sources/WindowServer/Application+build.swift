import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
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
    /// Where the keys are, and whether that is the development default beside the data folder.
    public var secretsDirectory: String?
    public var secretsAreDevelopmentDefault = false
    /// With `--demo` on a fresh data folder: what was made, to print once.
    public var demo: DemoReport?
    /// With `--demo` on a data folder that was not fresh: nothing was made.
    public var demoSkipped = false
}

/// The composition root: reads settings, opens the database, seeds the catalog, makes the
/// first admin and the TLS configuration, and returns the application.
public func buildApplication(
    settings: ServerSettings,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> (some ApplicationProtocol, StartupReport) {
    var report = StartupReport()
    try DataFolder.prepare(settings)
    report.secretsDirectory = settings.keysDirectory.path
    report.secretsAreDevelopmentDefault = settings.secretsDirectory == nil

    let database = try AppDatabase.open(path: settings.databasePath, checkpointInBackground: true)
    if try !database.isCatalogSeeded() {
        let document = try loadCatalog(path: settings.catalogPath)
        if try database.seedCatalogIfNeeded(document) {
            report.seededCatalogItems = document.items.count
            logger.notice("seeded catalog", metadata: ["catalog.items": "\(document.items.count)", "catalog.file": "\(settings.catalogPath)"])
        }
    }
    if let admin = try InitialAdmin.ensure(database: database, passwordFile: settings.initialAdminPasswordPath, cost: settings.passwordCost, logger: logger) {
        report.initialAdminUsername = admin.username
        report.initialAdminPassword = admin.password
        report.initialAdminPasswordFile = admin.passwordFile
    }
    let tls = try TLSSetup.configuration(settings: settings, logger: logger)
    if settings.demo {
        // Only on a fresh data folder (the first admin was just made): a real one is never touched.
        if report.initialAdminPassword != nil {
            report.demo = try await Demo.create(database: database, passwords: Passwords(cost: settings.passwordCost), now: Date(), logger: logger)
        } else {
            report.demoSkipped = true
        }
    }

    let services = try await AppServices.make(database: database, settings: settings, logger: logger)
    if let demo = report.demo, let kiosk = try await database.kiosk(tokenHash: Tokens.hash(demo.kioskCredential)) {
        report.demo?.pairingCode = services.pairings.issue(kiosk: kiosk.id!, now: services.now()).code
    }
    let router = buildRouter(services)
    let app = Application(
        router: router,
        server: serverBuilder(router: router, live: LiveController(services, ping: settings.limits.livePing), tls: tls, limits: settings.limits),
        configuration: .init(
            address: .hostname(settings.host, port: settings.port), serverName: "windowd",
            availableConnectionsDelegate: .maximum(settings.limits.maxConnections, logger: logger)),
        services: [
            QueueTimer(queue: services.queue, interval: settings.timerInterval, logger: logger),
            ScheduledPublisher(catalog: services.catalog, interval: settings.timerInterval),
            CheckpointService(
                checkpointer: try Checkpointer(path: settings.databasePath, walLimit: settings.walLimitBytes, writer: database), metrics: services.metrics, logger: logger),
            LiveShutdown(hub: services.hub),
        ],
        onServerRunning: onServerRunning,
        logger: logger
    )
    return (app, report)
}

/// TLS, then HTTP/1 with the live upgrade (``LiveChannel``), guarded by the request deadlines and
/// the 400 for malformed requests (``GuardedChannel``).
func serverBuilder(router: Router<AppRequestContext>, live: LiveController, tls: TLSConfiguration, limits: ServerLimits) -> HTTPServerBuilder {
    // Hummingbird's own idle timeout too: it also covers a connection whose deadline handler left for an upgrade that did not happen.
    let http1 = HTTP1Channel.Configuration(
        idleTimeout: TimeAmount(limits.idleTimeout),
        httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: 100))
    return HTTPServerBuilder { responder in
        GuardedChannel(base: try TLSChannel(LiveChannel(router: responder, http1: http1, live: live), tlsConfiguration: tls), limits: limits)
    }
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

/// Everything the routes share, made once per application.
struct AppServices: Sendable {
    let database: AppDatabase
    let queue: QueueService
    let hub: LiveHub
    let metrics: QueueMetrics
    let idHasher: IDNumberHasher
    let policy: RoutingPolicy
    let materialFiles: MaterialFiles
    let identities: CallerCache
    let revocations: Revocations
    let loginGuard: LoginGuard
    let passwords: Passwords
    let totpBox: SecretBox
    let signInLifetime: TimeInterval
    let sites: SitePresenter
    let ticketRate: TicketRateLimiter
    let ice: IceSettings
    let pairings: ScreenBPairings
    let consoleFolder: String
    let now: @Sendable () -> Date
    let catalog: CatalogService
    let followUps: FollowUpService

    /// Who a request or a live upgrade comes from: one authenticator for both.
    var authenticator: AuthenticatorMiddleware {
        AuthenticatorMiddleware(database: database, cache: identities, now: now)
    }

    static func make(database: AppDatabase, settings: ServerSettings, logger: Logger) async throws -> AppServices {
        let totpBox = try SecretBox.load(path: settings.totpKeyPath)
        let sealed = try DataFolder.sealTOTPSecrets(database, box: totpBox)
        if sealed > 0 { logger.notice("sealed stored TOTP secrets", metadata: ["accounts": "\(sealed)"]) }
        let materialFiles = MaterialFiles(directory: settings.materialsDirectory, limit: settings.maxUploadsInFlight)
        materialFiles.removeLeftovers(known: try database.materialPaths(), logger: logger)
        let hub = LiveHub(logger: logger)
        let identities = CallerCache()
        let metrics = QueueMetrics()
        let now = settings.clock
        let queue = try QueueService(
            database: database, policy: settings.policy, hub: hub, metrics: metrics, clock: now, logger: logger, snapshots: settings.snapshots)
        try await queue.start()
        let followUps = FollowUpService(
            database: database, phoneBox: try SecretBox.load(path: settings.phoneKeyPath), policy: settings.followUpPolicy, now: now, logger: logger)
        await followUps.reconcile { code, version in
            if let version { return try await database.catalogItem(code: code, version: version)?.item }
            return try database.catalogItem(code: code)?.item
        }
        return AppServices(
            database: database, queue: queue, hub: hub, metrics: metrics,
            idHasher: try IDNumberHasher.load(path: settings.idNumberKeyPath), policy: settings.policy,
            materialFiles: materialFiles, identities: identities,
            revocations: Revocations(cache: identities, hub: hub, queue: queue), loginGuard: LoginGuard(settings: settings.signIn, now: now),
            passwords: Passwords(cost: settings.passwordCost), totpBox: totpBox, signInLifetime: settings.signInLifetime,
            sites: SitePresenter(policy: settings.policy, now: now),
            ticketRate: TicketRateLimiter(burst: settings.limits.ticketBurst, interval: settings.limits.ticketInterval),
            ice: settings.ice, pairings: ScreenBPairings(), consoleFolder: settings.consoleDirectory ?? ConsoleMiddleware.folder, now: now,
            catalog: CatalogService(database: database, queue: queue, hub: hub, now: now, logger: logger),
            followUps: followUps)
    }
}

func buildRouter(_ services: AppServices) -> Router<AppRequestContext> {
    let database = services.database
    let router = Router(context: AppRequestContext.self)
    // Outermost, so that error answers carry the headers too.
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: services.authenticator)
    router.add(middleware: ConsoleMiddleware(folder: services.consoleFolder))
    router.add(middleware: FileMiddleware(services.consoleFolder, urlBasePath: "/console", searchForIndexHtml: true))
    HealthController(database: database).addRoutes(to: router)
    CatalogController(database: database).addRoutes(to: router)
    CatalogEditController(database: database, catalog: services.catalog).addRoutes(to: router)
    ReportController(database: database, followUps: { try await database.followUpFacts() }, now: services.now).addRoutes(to: router)
    FollowUpController(database: database, followUps: services.followUps).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    AuthController(
        database: database, passwords: services.passwords, revocations: services.revocations, loginGuard: services.loginGuard, totpBox: services.totpBox,
        now: services.now, tokenLifetime: services.signInLifetime).addRoutes(to: router)
    SiteController(database: database, sites: services.sites).addRoutes(to: router)
    KioskController(database: database, revocations: services.revocations, sites: services.sites, hub: services.hub, queue: services.queue)
        .addRoutes(to: router)
    CalendarController().addRoutes(to: router)
    AccountController(database: database, passwords: services.passwords, now: services.now).addRoutes(to: router)
    ClerkAccountController(
        database: database, passwords: services.passwords, queue: services.queue, revocations: services.revocations, loginGuard: services.loginGuard, now: services.now).addRoutes(to: router)
    TicketController(
        database: database, queue: services.queue, idHasher: services.idHasher, policy: services.policy, ticketRate: services.ticketRate,
        followUps: services.followUps, now: services.now
    ).addRoutes(to: router)
    ClerkController(queue: services.queue).addRoutes(to: router)
    SessionController(database: database, queue: services.queue, files: services.materialFiles, followUps: services.followUps).addRoutes(to: router)
    BoardController(queue: services.queue, metrics: services.metrics).addRoutes(to: router)
    LiveController(services).addRoutes(to: router)
    ScrapeController(database: database, cache: services.identities, now: services.now).addRoutes(to: router)
    IceController(queue: services.queue, settings: services.ice, now: services.now).addRoutes(to: router)
    ScreenBController(
        database: database, queue: services.queue, pairings: services.pairings, revocations: services.revocations, sites: services.sites,
        files: services.materialFiles
    ).addRoutes(to: router)
    // Added last, so it runs only for requests no route took: a known path with another method is a 405.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path, $0.method) }))
    return router
}
