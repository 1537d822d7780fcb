import Foundation

/// How much one client may hold or ask of the server: connections, how long a request may take
/// to arrive, and how often a kiosk may take a ticket. Every number has a default a service
/// centre can start from; tests shorten them.
public struct ServerLimits: Sendable, Equatable {
    /// Open connections at most (HTTPS and live ones together). Beyond it the server stops accepting
    /// until one closes; the waiting ones queue in the listen backlog.
    public var maxConnections: Int
    /// From a connection's start (TLS handshake included) until its first request's headers are in.
    public var headerTimeout: Duration
    /// From a request's headers until its whole body is in (uploads are up to 5 MiB).
    public var bodyTimeout: Duration
    /// A kept-alive connection waiting for its next request's headers is closed after this.
    public var idleTimeout: Duration
    /// Request line and headers together, at most this many bytes; more is answered 400.
    public var maxHeaderBytes: Int
    /// Tickets a kiosk may take in a burst…
    public var ticketBurst: Int
    /// …and then one more each this often.
    public var ticketInterval: Duration
    /// An idle live connection is pinged this often; one that has not answered by the next ping
    /// is gone (a kiosk whose network went without a word is noticed within two of these).
    public var livePing: Duration

    public init(
        maxConnections: Int = 4096,
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(120),
        idleTimeout: Duration = .seconds(75),
        maxHeaderBytes: Int = 16 * 1024,
        ticketBurst: Int = 5,
        ticketInterval: Duration = .seconds(6),
        livePing: Duration = .seconds(30)
    ) {
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxHeaderBytes = maxHeaderBytes
        self.ticketBurst = ticketBurst
        self.ticketInterval = ticketInterval
        self.livePing = livePing
    }
}

extension Duration {
    /// Seconds as a floating-point number (for clocks that count in `TimeInterval`).
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
