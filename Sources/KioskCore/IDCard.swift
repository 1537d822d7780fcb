import Foundation
import WindowCore

/// An ID number read at the kiosk. It prints and reflects only masked, so neither a log line nor
/// a debugger dump nor a test failure shows it; the full number is reachable only through
/// ``revealForServer`` when the ticket is taken.
public struct SecretIDNumber: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let number: String
    public let masked: String

    public init(_ id: ResidentID) {
        number = id.number
        masked = id.masked
    }

    /// The full number, for the one request that takes the ticket.
    public var revealForServer: String { number }

    public var description: String { masked }
    public var debugDescription: String { "SecretIDNumber(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }
}

/// The lanes a person may choose after the ID is read.
public enum Lane: String, Sendable, Equatable, CaseIterable {
    case normal
    /// 老年人优先通道: offered when the ID shows the minimum age.
    case elderly
    /// 残疾人优先通道: offered to anyone who declares a disability.
    case disabled

    public var priorityReason: PriorityReason? {
        switch self {
        case .normal: nil
        case .elderly: .elderly
        case .disabled: .disabled
        }
    }
}

/// What the ID check found: the number (kept secret), the age, and the lanes on offer.
public struct IDCardCheck: Sendable, Equatable {
    public var idNumber: SecretIDNumber
    public var age: Int
    public var lanes: [Lane]

    /// Checks the GB 11643 number as typed and works out the lanes on offer.
    public static func check(_ text: String, today: Date, elderlyAge: Int = RoutingPolicy().elderlyAge) -> Result<IDCardCheck, ResidentID.Problem> {
        do {
            let id = try ResidentID(text, today: today)
            let age = id.age(on: today)
            var lanes: [Lane] = [.normal]
            if age >= elderlyAge { lanes.append(.elderly) }
            lanes.append(.disabled)
            return .success(IDCardCheck(idNumber: SecretIDNumber(id), age: age, lanes: lanes))
        } catch {
            return .failure(error)
        }
    }

    /// The lane chosen first: the priority lane when age allows, else normal.
    public var suggestedLane: Lane { lanes.contains(.elderly) ? .elderly : .normal }
}
