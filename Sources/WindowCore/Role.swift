import Foundation

/// What a signed-in account may do. Every route names the roles it admits.
public enum Role: String, Codable, Sendable, CaseIterable {
    case clerk
    case manager
    case admin
}
