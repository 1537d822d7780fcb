import Foundation
import WindowCore

/// Everything `windowd` needs to start. Every field has a default, so no setting is required.
public struct ServerSettings: Sendable {
    public var dataDirectory: URL
    public var host: String
    public var port: Int
    /// PEM files of the server certificate (chain) and its key. When nil, a development
    /// CA and certificate are made under `DATA/tls/`.
    public var certificatePath: String?
    public var keyPath: String?
    /// The catalog that seeds the database on first start.
    public var catalogPath: String
    /// Every number of the routing rules.
    public var policy: RoutingPolicy
    /// Keys that make the data folder's personal data unreadable (the ID-number hash key, the
    /// TOTP sealing key). Never inside the data folder: a copy of that folder must reveal nothing.
    /// Nil: the development default, `DATA.secrets` beside the data folder.
    public var secretsDirectory: URL?
    /// Uploads read at once; more are refused with 429 (each may hold up to 5 MiB on disk, none in memory).
    public var maxUploadsInFlight: Int = 8
    /// Locks, address limits and the bound on password checks in flight.
    public var signIn = SignInLimits()
    /// bcrypt's cost for new password hashes (2^cost rounds); 12 takes about a quarter second.
    public var passwordCost: UInt8 = 12
    /// How long a sign-in lasts: its token, its cookie, and its live connections.
    public var signInLifetime: TimeInterval = 12 * 3600
    /// The WAL is truncated once it grows past this many bytes, whatever the load.
    public var walLimitBytes: Int = 64 << 20
    /// The longest the queue's timer sleeps (it wakes for every deadline; positions and the board are pushed about once a second).
    public var timerInterval: Duration
    /// Connections, request timeouts and the kiosks' ticket rate.
    public var limits: ServerLimits
    /// When the queue's owner writes a snapshot (start-up replays only the log after the latest).
    public var snapshots = SnapshotPolicy()
    /// STUN/TURN for the video calls (none: host candidates, a LAN).
    public var ice = IceSettings()
    /// On a fresh data folder, also create a demo site, kiosk and clerks (`windowd --demo`).
    public var demo = false
    /// 差评 deadlines in working days (1·5·15) and how long a 补正 waits.
    public var followUpPolicy = FollowUpPolicy()
    /// The server's clock (tests move it to fire scheduled publishes; everything else uses it too).
    public var clock: @Sendable () -> Date = { Date() }
    /// Serve the console's files from this folder instead of the built ones (developing the pages).
    public var consoleDirectory: String? = ProcessInfo.processInfo.environment["WINDOWD_CONSOLE_DIR"]

    public init(
        dataDirectory: URL = URL(fileURLWithPath: "data"),
        host: String = "127.0.0.1",
        port: Int = 8443,
        certificatePath: String? = nil,
        keyPath: String? = nil,
        catalogPath: String = "catalog/items.json",
        policy: RoutingPolicy = RoutingPolicy(),
        secretsDirectory: URL? = nil,
        timerInterval: Duration = .seconds(1),
        limits: ServerLimits = ServerLimits()
    ) {
        self.secretsDirectory = secretsDirectory
        self.limits = limits
        self.policy = policy
        self.timerInterval = timerInterval
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.catalogPath = catalogPath
    }

    public var databasePath: String { dataDirectory.appendingPathComponent("windowd.sqlite").path }
    public var tlsDirectory: URL { dataDirectory.appendingPathComponent("tls") }
    public var materialsDirectory: URL { dataDirectory.appendingPathComponent("materials") }
    /// Where the keys are: the configured folder, or `DATA.secrets` beside the data folder.
    public var keysDirectory: URL { secretsDirectory ?? dataDirectory.standardizedFileURL.appendingPathExtension("secrets") }
    public var idNumberKeyPath: String { keysDirectory.appendingPathComponent("id-number.key").path }
    public var totpKeyPath: String { keysDirectory.appendingPathComponent("totp.key").path }
    /// Seals 差评 call-back numbers: kept beside the other keys, outside the data folder.
    public var phoneKeyPath: String { keysDirectory.appendingPathComponent("phone.key").path }
    /// Where the first release kept the ID-number key (moved out on start).
    var legacyIDNumberKeyPath: String { dataDirectory.appendingPathComponent("secrets/id-number.key").path }
    public var initialAdminPasswordPath: String { dataDirectory.appendingPathComponent("initial-admin-password").path }
}
