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

extension RoutingPolicy {
    enum CodingKeys: String, CodingKey {
        case offerTimeout, maxMissedOffers, exclusionPeriod, wrapUp, kioskGrace, rejoinGrace, clerkGrace, agingBound
        case handlingTimeWeight, elderlyAge
    }

    /// Reads a policy file: any number left out keeps its default; nonsense is refused by name.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func seconds(_ key: CodingKeys, _ value: inout TimeInterval, range: ClosedRange<TimeInterval>) throws {
            guard let read = try c.decodeIfPresent(TimeInterval.self, forKey: key) else { return }
            guard range.contains(read) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.stringValue) must be within \(range.lowerBound)…\(range.upperBound) seconds")
            }
            value = read
        }
        try seconds(.offerTimeout, &offerTimeout, range: 1...3600)
        try seconds(.exclusionPeriod, &exclusionPeriod, range: 0...86_400)
        try seconds(.wrapUp, &wrapUp, range: 0...3600)
        try seconds(.kioskGrace, &kioskGrace, range: 0...3600)
        try seconds(.rejoinGrace, &rejoinGrace, range: 0...3600)
        try seconds(.clerkGrace, &clerkGrace, range: 0...3600)
        try seconds(.agingBound, &agingBound, range: 1...86_400)
        if let misses = try c.decodeIfPresent(Int.self, forKey: .maxMissedOffers) {
            guard misses >= 1 else { throw DecodingError.dataCorruptedError(forKey: .maxMissedOffers, in: c, debugDescription: "maxMissedOffers must be at least 1") }
            maxMissedOffers = misses
        }
        if let weight = try c.decodeIfPresent(Double.self, forKey: .handlingTimeWeight) {
            guard weight > 0, weight <= 1 else { throw DecodingError.dataCorruptedError(forKey: .handlingTimeWeight, in: c, debugDescription: "handlingTimeWeight must be in (0, 1]") }
            handlingTimeWeight = weight
        }
        if let age = try c.decodeIfPresent(Int.self, forKey: .elderlyAge) {
            guard (50...100).contains(age) else { throw DecodingError.dataCorruptedError(forKey: .elderlyAge, in: c, debugDescription: "elderlyAge must be 50–100") }
            elderlyAge = age
        }
    }
}
