import Foundation
import WindowClient
import WindowCore

// 补正回来: a worker back with the materials a 补正 asked for types the reference the result
// screen gave, sees the item and what was missing, and takes a ticket for the priority lane.
// The ID card is not read again: the reference names the case, and the server puts the ticket
// at the head of the queue (to the same clerk when on duty) by it.
extension KioskState {
    mutating func correctionKey(_ key: Key, _ correction: inout CorrectionScreen) -> [KioskEffect] {
        switch correction.step {
        case .entry(var text, var problem):
            switch key {
            case .character(let c) where Self.isReferenceCharacter(c):
                if text.count < Self.referenceLimit { text += c.uppercased() }
                problem = nil
            case .backspace:
                if !text.isEmpty { text.removeLast() }
                problem = nil
            case .escape:
                screen = .home(correction.home)
                return []
            case .enter:
                let reference = Self.normalizedReference(text)
                guard !reference.isEmpty else {
                    notice = Notice(.info, UI.referenceEmpty)
                    return []
                }
                correction.step = .entry(text: reference, problem: nil)
                busy = .lookingUp
                return [.lookUpCorrection(reference: reference)]
            default: break
            }
            correction.step = .entry(text: text, problem: problem)
        case .found(let found, _):
            switch key {
            case .escape, .backspace, .left:
                // Another reference: the one found stays in the field to correct.
                correction.step = .entry(text: found.reference, problem: nil)
            case .enter:
                if hasLiveTicket {
                    notice = Notice(.info, UI.alreadyHaveTicket)
                    screen = .ticket(confirmLeave: false)
                    return []
                }
                if let closed = closedNotice {
                    notice = closed
                    return []
                }
                busy = .takingTicket
                return [.takeReturnTicket(item: found.item, reference: found.reference)]
            default: break
            }
        }
        return []
    }

    /// The longest reference the server looks up.
    static let referenceLimit = 40

    /// Letters, digits and `-`: what a case number (`RW20261130-000004`) is made of.
    static func isReferenceCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-")
    }

    /// The reference as the server knows it: capitals, no spaces.
    static func normalizedReference(_ text: String) -> String {
        String(text.filter { !$0.isWhitespace }.uppercased().prefix(referenceLimit))
    }

    /// When the window is closed now: the message, with the next opening (nil while open).
    var closedNotice: Notice? {
        guard let site, !site.openNow else { return nil }
        var text = UI.closedNow
        if let next = site.nextOpening {
            text = text + L("，", ", ") + UI.nextOpening + L(Format.dateTime(next), Format.dateTime(next))
        }
        return Notice(.error, text)
    }

    // MARK: Answers

    mutating func correctionFound(_ found: KioskCorrectionView) -> [KioskEffect] {
        busy = nil
        guard case .correction(var correction) = screen, case .entry = correction.step else { return [] }
        correction.step = .found(found, item: nil)
        screen = .correction(correction)
        return [.loadCorrectionItem(code: found.item, version: found.itemVersion)]
    }

    mutating func correctionItemLoaded(_ item: CatalogItem) {
        guard case .correction(var correction) = screen, case .found(let found, _) = correction.step, found.item == item.code else { return }
        correction.step = .found(found, item: item)
        screen = .correction(correction)
    }

    /// A reference the server did not accept: back to typing it, with why in plain words.
    mutating func referenceRefused(_ error: WindowClientError) {
        guard case .correction(var correction) = screen else {
            notice = .error(error)
            return
        }
        let text: String
        switch correction.step {
        case .entry(let typed, _): text = typed
        case .found(let found, _): text = found.reference
        }
        correction.step = .entry(text: text, problem: Self.referenceProblem(error))
        screen = .correction(correction)
    }

    static func referenceProblem(_ error: WindowClientError) -> CorrectionScreen.Problem {
        let headline: LocalizedText = switch error.serverCode {
        case .correctionNotFound?: UI.referenceNotFound
        case .correctionClosed?: UI.referenceClosed
        default: UI.referenceFailed
        }
        return CorrectionScreen.Problem(headline: headline, message: .bilingual(error.message))
    }

    /// Whether a refused return ticket was refused for its reference (rather than the hours, say).
    static func isReferenceRefusal(_ error: WindowClientError) -> Bool {
        error.serverCode == .correctionNotFound || error.serverCode == .correctionClosed
    }
}
