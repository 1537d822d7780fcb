import Foundation

/// Every number of the routing rules, with defaults a service centre can start from.
public struct RoutingPolicy: Codable, Hashable, Sendable {
    /// How long a clerk has to accept an offer.
    public var offerTimeout: TimeInterval = 30
    /// Missed offers in a row after which a clerk is set away.
    public var maxMissedOffers: Int = 2
    /// How long a clerk who declined or missed a ticket is passed over for it.
    public var exclusionPeriod: TimeInterval = 120
    /// Wrap-up after a session, unless the clerk is ready sooner.
    public var wrapUp: TimeInterval = 60
    /// A kiosk that drops keeps its ticket this long.
    public var kioskGrace: TimeInterval = 120
    /// Either side of a session may drop and rejoin within this.
    public var rejoinGrace: TimeInterval = 60
    /// A disconnected clerk's console: an available clerk goes offline after this.
    public var clerkGrace: TimeInterval = 60
    /// A ticket waiting longer than this is served before newer priority tickets.
    public var agingBound: TimeInterval = 15 * 60
    /// Weight of the newest session in an item's recent handling time (0…1).
    public var handlingTimeWeight: Double = 0.2
    /// Age from which a person may use the priority lane.
    public var elderlyAge: Int = 60

    public init() {}
}
