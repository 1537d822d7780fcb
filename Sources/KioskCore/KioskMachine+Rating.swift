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
        if rating.editingComment {
            switch key {
            case .character(let c) where Self.isTextCharacter(c):
                if rating.comment.count < 200 { rating.comment.append(c) }
            case .backspace: if !rating.comment.isEmpty { rating.comment.removeLast() }
            case .tab, .escape, .up: rating.editingComment = false
            case .enter: return submitRating(sessionID, rating)
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
        case .enter: return submitRating(sessionID, rating)
        case .escape: finish()
        default: break
        }
        return []
    }

    mutating func submitRating(_ sessionID: Int64, _ rating: RatingScreen) -> [KioskEffect] {
        let comment = rating.comment.trimmingCharacters(in: .whitespacesAndNewlines)
        busy = .rating
        return [.rate(session: sessionID, level: rating.level, comment: comment.isEmpty ? nil : comment)]
    }
}
