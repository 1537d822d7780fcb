import Foundation
import WindowClient
import WindowCore

// Keys on the rating screen (好差评).
extension KioskState {
    mutating func ratingKey(_ key: Key, _ rating: inout RatingScreen) -> [KioskEffect] {
        guard let sessionID = ticket?.session?.id ?? session?.id else {
            finish()
            return []
        }
        if rating.askingPhone {
            return phoneKey(key, sessionID, &rating)
        }
        if rating.editingComment {
            switch key {
            case .character(let c) where Self.isTextCharacter(c):
                if rating.comment.count < 200 { rating.comment.append(c) }
            case .backspace: if !rating.comment.isEmpty { rating.comment.removeLast() }
            case .tab, .escape, .up: rating.editingComment = false
            case .enter: return submitRating(sessionID, &rating)
            default: break
            }
            return []
        }
        switch key {
        case .up: rating.selected = max(0, rating.selected - 1)
        case .down:
            if rating.selected < 4 { rating.selected += 1 } else { rating.editingComment = true }
        case .character(let c) where c.isASCII && c.isNumber:
            if let n = c.wholeNumberValue, (1...5).contains(n) { rating.selected = n - 1 }
        case .tab, .character("c"), .character("C"): rating.editingComment = true
        case .enter: return submitRating(sessionID, &rating)
        case .escape: finish()
        default: break
        }
        return []
    }

    /// Enter on the levels or the comment. A rating of 1 or 2 first asks, optionally, for a
    /// call-back number; any other is sent at once.
    mutating func submitRating(_ sessionID: Int64, _ rating: inout RatingScreen) -> [KioskEffect] {
        if rating.level <= 2 {
            rating.editingComment = false
            rating.askingPhone = true
            return []
        }
        return sendRating(sessionID, rating)
    }

    /// The call-back number: digits and `-`. Enter sends the rating (with the number when one is
    /// typed: leaving it is the consent the screen stated); Esc sends it without one.
    mutating func phoneKey(_ key: Key, _ sessionID: Int64, _ rating: inout RatingScreen) -> [KioskEffect] {
        switch key {
        case .character(let c) where (c.isASCII && c.isNumber) || c == "-":
            // A number shown masked is typed again from the start, never revealed.
            if rating.phoneEntered { rating.phone = "" }
            rating.phoneEntered = false
            if rating.phone.count < Self.phoneLimit { rating.phone.append(c) }
            rating.phoneProblem = nil
        case .backspace:
            if rating.phoneEntered {
                rating.phone = ""
            } else if !rating.phone.isEmpty {
                rating.phone.removeLast()
            }
            rating.phoneEntered = false
            rating.phoneProblem = nil
        case .escape:
            // Skipped: the rating goes without a number, and the number is forgotten.
            rating.phone = ""
            rating.phoneEntered = false
            rating.phoneProblem = nil
            return sendRating(sessionID, rating)
        case .enter:
            rating.phoneEntered = !rating.phone.isEmpty
            rating.phoneProblem = nil
            return sendRating(sessionID, rating)
        default: break
        }
        return []
    }

    /// The longest call-back number typed (a landline with its area code and dashes fits).
    static let phoneLimit = 20

    mutating func sendRating(_ sessionID: Int64, _ rating: RatingScreen) -> [KioskEffect] {
        let comment = rating.comment.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = rating.askingPhone ? rating.phone.trimmingCharacters(in: .whitespaces) : ""
        busy = .rating
        return [
            .rate(
                session: sessionID, level: rating.level, comment: comment.isEmpty ? nil : comment,
                callbackPhone: phone.isEmpty ? nil : CallbackPhone(phone))
        ]
    }
}
