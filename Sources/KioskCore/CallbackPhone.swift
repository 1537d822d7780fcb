import Foundation

/// A call-back number left with a low rating. Like ``SecretIDNumber`` it prints and reflects only
/// masked (`*******5678`), so the effect log and a test failure never show it; the full number is
/// reachable only through ``revealForServer`` when the rating is sent.
public struct CallbackPhone: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let number: String
    public let masked: String

    public init(_ number: String) {
        self.number = number
        masked = Format.maskedPhone(number)
    }

    /// The full number, for the one request that sends the rating.
    public var revealForServer: String { number }

    public var description: String { masked }
    public var debugDescription: String { "CallbackPhone(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }
}
