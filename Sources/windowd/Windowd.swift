import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WindowAPITypes
import WindowCore
import WindowServer

@main
struct Windowd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "windowd",
        abstract: "RemoteWindow server: HTTPS API, live events and the console, on an embedded SQLite database."
    )

    @Option(name: .long, help: "Folder for the database, development certificates and the initial admin password.")
    var data: String = "data"

    @Option(name: .long, help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port: Int = 8443

    @Option(name: .long, help: "PEM file with the server certificate chain. Without --cert/--key a development certificate is made under DATA/tls/.")
    var cert: String?

    @Option(name: .long, help: "PEM file with the server certificate's private key.")
    var key: String?

    @Option(name: .long, help: "Catalog file that seeds the database on first start.")
    var catalog: String = "catalog/items.json"

    @Option(name: .long, help: "JSON file with routing numbers (offerTimeout, maxMissedOffers, exclusionPeriod, wrapUp, kioskGrace, rejoinGrace, clerkGrace, agingBound in seconds; handlingTimeWeight; elderlyAge). Missing numbers keep their defaults.")
    var policy: String?

    @Option(name: .customLong("wal-limit-mb"), help: "The SQLite write-ahead log is truncated once it grows past this many MiB, whatever the load.")
    var walLimitMB: Int = 64

    @Option(name: .long, help: ArgumentHelp(
        "Folder for the keys that protect personal data (ID-number hashes, TOTP secrets); also $WINDOWD_SECRETS. Never inside the data folder. Default (development): DATA.secrets beside it.",
        valueName: "folder"))
    var secrets: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "Open connections at most, HTTPS and live together; beyond it new ones wait until one closes.")
    var maxConnections: Int = ServerLimits().maxConnections

    @Option(name: .long, help: "Seconds a new connection has for its TLS handshake and first request's headers.")
    var headerTimeout: Double = ServerLimits().headerTimeout.windowdSeconds

    @Option(name: .long, help: "Seconds a request has for its body after its headers (uploads are up to 5 MiB).")
    var bodyTimeout: Double = ServerLimits().bodyTimeout.windowdSeconds

    @Option(name: .long, help: "Seconds a kept-alive connection may wait for its next request before it is closed.")
    var idleTimeout: Double = ServerLimits().idleTimeout.windowdSeconds

    @Option(name: .long, help: "Tickets a kiosk may take in a burst; then one more every --ticket-interval seconds (more: 429).")
    var ticketBurst: Int = ServerLimits().ticketBurst

    @Option(name: .long, help: "Seconds after which a kiosk may take one more ticket once its burst is used.")
    var ticketInterval: Double = ServerLimits().ticketInterval.windowdSeconds

    @Option(name: .customLong("snapshot-every"), help: "Events between snapshots of the queue (a start replays only the log after the latest one).")
    var snapshotEvery: Int = SnapshotPolicy().everyEvents

    @Option(name: .customLong("stun-url"), help: "A STUN server for the video calls (stun:HOST:PORT); may repeat.")
    var stunURLs: [String] = []

    @Option(name: .customLong("turn-url"), help: "A TURN server for the video calls (turn:HOST:PORT?transport=udp); may repeat. Needs --turn-secret-file.")
    var turnURLs: [String] = []

    @Option(name: .customLong("turn-secret-file"), help: "File with the secret shared with coturn (its static-auth-secret, use-auth-secret).")
    var turnSecretFile: String?

    @Option(name: .customLong("turn-ttl"), help: "Seconds a TURN credential lasts (600–1800).")
    var turnTTL: Double = IceSettings().credentialLifetime

    @Option(name: .customLong("ice-policy"), help: "all (direct when possible) or relay (every call through TURN).")
    var icePolicy: String = "all"

    @Option(name: .customLong("follow-up-days"), help: "差评 deadlines in working days of the site's calendar: contacted,rectified,closed (Shanghai's rule: 1,5,15).")
    var followUpDays: String = "1,5,15"

    @Option(name: .customLong("correction-days"), help: "Working days a 补正 waits for the worker when the item states no time limit of its own.")
    var correctionDays: Int = 10

    @Flag(name: .long, help: "On a fresh data folder, also create a demo site open every day, a kiosk and two clerks, and print how to try them.")
    var demo = false

    func validate() throws {
        guard walLimitMB >= 1 else { throw ValidationError("--wal-limit-mb must be at least 1") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together: give both or neither") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        for (name, seconds) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout), ("--ticket-interval", ticketInterval)] {
            guard seconds > 0, seconds <= 86_400 else { throw ValidationError("\(name) must be more than 0 and at most 86400 seconds") }
        }
        guard ticketBurst >= 1 else { throw ValidationError("--ticket-burst must be at least 1") }
        guard snapshotEvery >= 100 else { throw ValidationError("--snapshot-every must be at least 100") }
        _ = try followUpPolicy()
    }

    /// `--follow-up-days 1,5,15` and `--correction-days`: each 1–60, the three in order.
    func followUpPolicy() throws -> FollowUpPolicy {
        let days = followUpDays.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard days.count == 3, let contact = days[0], let rectify = days[1], let close = days[2],
            (1...60).contains(contact), contact <= rectify, rectify <= close, close <= 60
        else { throw ValidationError("--follow-up-days: three working-day counts in order, e.g. 1,5,15 (each 1–60)") }
        guard (1...60).contains(correctionDays) else { throw ValidationError("--correction-days must be 1–60") }
        var policy = FollowUpPolicy()
        policy.contactDays = contact
        policy.rectifyDays = rectify
        policy.closeDays = close
        policy.correctionDays = correctionDays
        return policy
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "windowd")
        var routing = RoutingPolicy()
        if let policy {
            do {
                routing = try JSONDecoder().decode(RoutingPolicy.self, from: Data(contentsOf: URL(fileURLWithPath: policy)))
            } catch {
                logger.critical("windowd cannot start: routing policy \(policy): \(error)")
                throw ExitCode(1)
            }
        }
        var settings = ServerSettings(
            dataDirectory: URL(fileURLWithPath: data),
            host: host,
            port: port,
            certificatePath: cert,
            keyPath: key,
            catalogPath: catalog,
            policy: routing,
            secretsDirectory: (secrets ?? ProcessInfo.processInfo.environment["WINDOWD_SECRETS"]).map { URL(fileURLWithPath: $0) },
            limits: ServerLimits(
                maxConnections: maxConnections, headerTimeout: .seconds(headerTimeout), bodyTimeout: .seconds(bodyTimeout),
                idleTimeout: .seconds(idleTimeout), ticketBurst: ticketBurst, ticketInterval: .seconds(ticketInterval))
        )
        settings.walLimitBytes = walLimitMB << 20
        settings.demo = demo
        settings.snapshots.everyEvents = snapshotEvery
        settings.followUpPolicy = try followUpPolicy()
        do {
            settings.ice = try iceSettings()
        } catch {
            logger.critical("windowd cannot start: \(error)")
            throw ExitCode(1)
        }
        let (app, report) = try await start(settings: settings, logger: logger)
        if report.secretsAreDevelopmentDefault, let folder = report.secretsDirectory {
            logger.warning("using the development default for the secrets folder; in production keep it on other storage than the data folder and its backups (--secrets or WINDOWD_SECRETS)", metadata: ["secrets": "\(folder)"])
        }
        if let password = report.initialAdminPassword, let username = report.initialAdminUsername {
            // Shown once, on the terminal only; the logs carry no password.
            FileHandle.standardOutput.write(Data("""
                ================================================================
                首次启动：已创建管理员账户 / First start: admin account created
                  用户名 username: \(username)
                  密码 password:   \(password)
                  （亦保存于 / also saved to \(report.initialAdminPasswordFile ?? ""), mode 0600）
                请登录后修改密码。/ Change it after signing in.
                ================================================================

                """.utf8))
        }
        if let demo = report.demo { printDemo(demo, settings: settings) }
        if report.demoSkipped {
            logger.notice("--demo: the data folder is not fresh, so no demo was created (use a new --data folder)")
        }
        try await app.runService()
        logger.notice("windowd stopped")
    }

    /// How to try the whole remote window on this machine: three windows.
    func printDemo(_ demo: DemoReport, settings: ServerSettings) {
        let base = "https://localhost:\(settings.port)"
        let ca = settings.tlsDirectory.appendingPathComponent("ca.pem").path
        let kiosk = ProcessInfo.processInfo.environment["RW_KIOSK_BIN"] ?? "kiosk"
        let clerks = demo.clerks.map { "      \($0.username) / \($0.password)  （窗口 window \($0.window)）" }.joined(separator: "\n")
        let pairing = demo.pairingCode.map { "\(base)/screen-b/#pair=\($0)" } ?? "(run `kiosk screen-b`)"
        FileHandle.standardOutput.write(Data("""
            ================================================================
            演示模式 / Demo: site "\(demo.siteCode)", open every day
            1. 工作人员控制台 / The clerk's console (sign in, go available):
                 \(base)/console/
            \(clerks)
            2. 终端屏幕 A / The kiosk's screen A (another terminal):
                 \(kiosk) setup --server \(base) --ca \(ca) --credential \(demo.kioskCredential)
                 \(kiosk) run
            3. 终端屏幕 B / The kiosk's screen B (a private browser window: its cookie is its own;
               valid 5 minutes and once — later: `\(kiosk) screen-b`):
                 \(pairing)
            浏览器需信任开发证书 / Browsers must trust the development CA: \(ca)
            ================================================================

            """.utf8))
    }

    /// STUN/TURN from the flags; the secret is read from its file (never a flag: `ps` shows flags).
    func iceSettings() throws -> IceSettings {
        guard let policy = IceConfigView.TransportPolicy(rawValue: icePolicy) else { throw ValidationError("--ice-policy must be all or relay") }
        var secret: String?
        if let turnSecretFile {
            guard let data = FileManager.default.contents(atPath: turnSecretFile) else { throw ValidationError("--turn-secret-file \(turnSecretFile): cannot read it") }
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let ice = IceSettings(stunURLs: stunURLs, turnURLs: turnURLs, turnSecret: secret, credentialLifetime: turnTTL, transportPolicy: policy)
        if let problem = ice.problems.first { throw ValidationError(problem) }
        return ice
    }

    /// Builds the application, turning a failed start into one clear line and exit status 1.
    private func start(settings: ServerSettings, logger: Logger) async throws -> (some ApplicationProtocol, StartupReport) {
        do {
            return try await buildApplication(settings: settings, logger: logger)
        } catch {
            logger.critical("windowd cannot start: \(error)")
            throw ExitCode(1)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension Duration {
    /// Whole and fractional seconds, for the options' defaults.
    fileprivate var windowdSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
