import Foundation

/// A mainland resident identity number (居民身份证号码), checked per GB 11643-1999:
/// 6-digit area code, 8-digit birth date, 3-digit sequence, and a check character.
/// The full number never leaves this value except through ``masked`` or a keyed hash.
public struct ResidentID: Sendable, Hashable, CustomStringConvertible {
    public enum Problem: Error, Hashable, Sendable {
        case length
        case characters
        case birthDate
        case checkDigit

        public var message: String {
            switch self {
            case .length: "身份证号码应为18位 / an ID number has 18 characters"
            case .characters: "身份证号码前17位应为数字，末位为数字或X / 17 digits then a digit or X"
            case .birthDate: "身份证号码中的出生日期无效 / the birth date in the ID number is not valid"
            case .checkDigit: "身份证号码校验位不符，请核对 / the check digit does not match; please check the number"
            }
        }
    }

    /// The normalized number (upper-case X). Not printed by `description`.
    public let number: String
    public let birthYear: Int
    public let birthMonth: Int
    public let birthDay: Int

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    public init(_ text: String, today: Date = Date()) throws(Problem) {
        let normalized = text.trimmingCharacters(in: .whitespaces).uppercased()
        let characters = Array(normalized)
        guard characters.count == 18 else { throw .length }
        guard characters.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }),
            characters[17].isASCII && (characters[17].isNumber || characters[17] == "X")
        else { throw .characters }
        let digits = characters.prefix(17).map { Int(String($0))! }

        let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        guard year >= 1900, let birth = ServiceHours.calendar.date(from: components),
            ServiceHours.calendar.dateComponents([.year, .month, .day], from: birth) == DateComponents(year: year, month: month, day: day),
            birth <= today
        else { throw .birthDate }

        let sum = zip(digits, Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard Self.checkCharacters[sum % 11] == characters[17] else { throw .checkDigit }

        number = normalized
        birthYear = year
        birthMonth = month
        birthDay = day
    }

    /// Completed years of age on `date` (Shanghai time).
    public func age(on date: Date) -> Int {
        let today = ServiceHours.calendar.dateComponents([.year, .month, .day], from: date)
        var age = today.year! - birthYear
        if (today.month!, today.day!) < (birthMonth, birthDay) { age -= 1 }
        return age
    }

    /// The last four characters only, the rest hidden: `**************123X`. Region and birth
    /// date stay hidden, so the mask narrows no search for the number (PIPL: minimal retention).
    public var masked: String {
        Self.mask(number)
    }

    /// Masks any ID-like text the same way, for places that never parsed it.
    public static func mask(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > 8 else { return String(repeating: "*", count: characters.count) }
        return String(repeating: "*", count: characters.count - 4) + String(characters.suffix(4))
    }

    public var description: String { masked }

    /// Makes a valid number from the first 17 digits (for tests and simulators).
    public static func withCheckDigit(_ first17: String) -> String {
        let digits = first17.compactMap { $0.wholeNumberValue }
        precondition(digits.count == 17)
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return first17 + String(checkCharacters[sum % 11])
    }
}
