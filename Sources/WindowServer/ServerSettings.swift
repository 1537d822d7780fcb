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
    /// The longest the queue's timer sleeps (it wakes for every deadline; positions and the board are pushed about once a second).
    public var timerInterval: Duration
    /// Connections, request timeouts and the kiosks' ticket rate.
    public var limits: ServerLimits

    public init(
        dataDirectory: URL = URL(fileURLWithPath: "data"),
        host: String = "127.0.0.1",
        port: Int = 8443,
        certificatePath: String? = nil,
        keyPath: String? = nil,
        catalogPath: String = "catalog/items.json",
        policy: RoutingPolicy = RoutingPolicy(),
        timerInterval: Duration = .seconds(1),
        limits: ServerLimits = ServerLimits()
    ) {
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
    public var idNumberKeyPath: String { dataDirectory.appendingPathComponent("secrets/id-number.key").path }
    public var initialAdminPasswordPath: String { dataDirectory.appendingPathComponent("initial-admin-password").path }
}
