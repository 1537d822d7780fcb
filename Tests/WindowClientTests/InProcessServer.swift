import Foundation
import Logging
import ServiceLifecycle
import WindowClient
import WindowCore
import WindowServer

/// A real windowd on a loopback port, run in this process, that can be stopped and started
/// again on the same port and data folder (to test reconnects).
final class InProcessServer: @unchecked Sendable {
    let dataDirectory: URL
    private(set) var port: Int
    private(set) var report: StartupReport?
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(port: Int = 0) throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("windowclient-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        self.port = port
    }

    deinit {
        try? FileManager.default.removeItem(at: dataDirectory)
        try? FileManager.default.removeItem(at: dataDirectory.appendingPathExtension("secrets"))
    }

    func start() async throws {
        var settings = ServerSettings(
            dataDirectory: dataDirectory, host: "127.0.0.1", port: port,
            catalogPath: Self.root.appendingPathComponent("catalog/items.json").path, timerInterval: .milliseconds(50))
        settings.passwordCost = 6  // real bcrypt, cheap enough for many servers at once
        var logger = Logger(label: "windowclient-test")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let (app, report) = try await buildApplication(settings: settings, logger: logger) { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        if self.report == nil { self.report = report }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else { throw CocoaError(.featureUnsupported) }
        port = bound
    }

    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        group = nil
        task = nil
    }

    var caPEM: String {
        (try? String(contentsOf: dataDirectory.appendingPathComponent("tls/ca.pem"), encoding: .utf8)) ?? ""
    }

    func endpoint() throws -> ServerEndpoint {
        try ServerEndpoint(url: "https://localhost:\(port)", caPEM: caPEM)
    }

    /// Signs in as admin, makes a site open around the clock and a kiosk; returns the kiosk's credential.
    func makeKiosk() async throws -> String {
        let login = try await WindowAPI.using(endpoint: try endpoint(), credential: nil) { anonymous in
            try await anonymous.login(username: "admin", password: self.report?.initialAdminPassword ?? "")
        }
        let admin = WindowAPI(endpoint: try endpoint(), credential: login.token)
        defer { Task { await admin.shutdown() } }
        struct Site: Encodable { var code: String; var name: LocalizedText; var hours: HoursView }
        let always = Dictionary(uniqueKeysWithValues: (1...7).map { (String($0), [HoursView.Interval(open: "00:00", close: "24:00")]) })
        _ = try await admin.send(SiteView.self, .POST, "/api/v1/sites", json: Site(code: "huayang", name: LocalizedText(zh: "华阳", en: "Huayang"), hours: HoursView(weekly: always)))
        struct Kiosk: Codable { var name: String?; var credential: String? }
        let kiosk = try await admin.send(Kiosk.self, .POST, "/api/v1/sites/huayang/kiosks", json: Kiosk(name: "一体机", credential: nil))
        return kiosk.credential ?? ""
    }
}

/// Waits for the first event that `match` accepts.
func next(_ iterator: inout AsyncStream<LiveConnection.Event>.Iterator, timeout: Duration = .seconds(15), _ match: (LiveConnection.Event) -> Bool) async -> LiveConnection.Event? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        guard let event = await iterator.next() else { return nil }
        if match(event) { return event }
    }
    return nil
}
