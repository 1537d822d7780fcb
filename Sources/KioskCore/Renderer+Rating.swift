import Foundation
import WindowClient
import WindowCore

// The end of a visit: the result, then the rating (好差评).
extension Renderer {
    static func resultBody(_ state: KioskState, width: Int) -> [StyledLine] {
        let language = state.language
        var lines = sessionHeader(state, width: width).filter { _ in true }
        if lines.count > 2 { lines.removeLast() }  // the live status line means nothing now
        lines.append(.empty)
        let outcome = state.session?.outcome ?? state.ticket?.session?.outcome
        let caseNumber = state.session?.caseNumber ?? state.ticket?.session?.caseNumber
        guard let outcome else {
            lines.append(StyledLine(" " + UI.loading.text(language), .dim))
            return lines
        }
        var outcomeLine = StyledLine(" " + UI.outcomeLabel.text(language))
        outcomeLine.add(UI.outcome(outcome).text(language), outcome == .completed ? .green : .yellow)
        lines.append(outcomeLine)
        if outcome == .needsMaterials {
            // 补正: the case number is the reference to come back with.
            lines += correctionResultLines(state, reference: caseNumber, width: width)
        } else if let caseNumber {
            var caseLine = StyledLine(" " + UI.caseLabel.text(language))
            caseLine.add(caseNumber, .bold)
            lines.append(caseLine)
        }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.nextLabel.text(language), .bold))
        lines += wrapped(UI.nextSteps(outcome).text(language), width: width, indent: 3)
        if !state.materials.isEmpty && outcome != .needsMaterials {
            lines.append(.empty)
            let accepted = state.materials.filter { $0.status == .accepted }.count
            lines.append(StyledLine(" " + UI.format(UI.materialsSummary, state.materials.count, accepted).text(language), .dim))
        }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.rateNow.text(language) + "  ->  Enter", .cyan))
        return lines
    }

    static func ratingBody(_ state: KioskState, _ rating: RatingScreen, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        if let ticket = state.ticket { lines.append(StyledLine(" " + ticket.number + "  " + itemName(state), .dim)) }
        if rating.askingPhone { return lines + phoneLines(state, rating, width: width) }
        lines.append(StyledLine(" " + UI.rateNow.text(language), .bold))
        lines.append(.empty)
        for (index, entry) in RatingLevel.all.enumerated() {
            let text = language == .zh ? entry.label.zh : entry.label.en
            lines.append(row(index + 1, text, selected: index == rating.selected, width: min(width, 50), marker: rating.editingComment ? " * " : " > "))
        }
        lines.append(.empty)
        var comment = StyledLine(" " + UI.commentLabel.text(language))
        let fieldWidth = max(10, min(50, width - TextLayout.width(comment.plain) - 4))
        let text = rating.editingComment ? rating.comment + "_" : rating.comment
        comment.add("[" + TextLayout.pad(TextLayout.ellipsize(text, to: fieldWidth), to: fieldWidth) + "]", rating.editingComment ? .selected : .plain)
        lines.append(comment)
        if !rating.editingComment && rating.comment.isEmpty {
            lines.append(StyledLine("   " + UI.commentHint.text(language), .dim))
        }
        return lines
    }
}

extension Renderer {
    /// After a rating of 1 or 2: the consent first, then the optional call-back number, and how
    /// to skip it. Once entered, the number shows masked but for its last 4 digits.
    static func phoneLines(_ state: KioskState, _ rating: RatingScreen, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        var chosen = StyledLine(" " + UI.yourRating.text(language), .bold)
        chosen.add(RatingLevel.label(rating.level)?.text(language) ?? "\(rating.level)", .yellow)
        if !rating.comment.isEmpty {
            let room = max(4, width - TextLayout.width(chosen.plain) - 4)
            chosen.add("  " + TextLayout.ellipsize(rating.comment, to: room), .dim)
        }
        lines.append(chosen)
        lines.append(.empty)
        lines += wrapped(UI.phoneConsent.text(language), width: width, indent: 1, tone: .cyan)
        var field = StyledLine("   " + UI.phoneField.text(language))
        let shown = rating.phoneEntered ? Format.maskedPhone(rating.phone) : rating.phone + "_"
        field.add("[" + TextLayout.pad(shown, to: KioskState.phoneLimit + 1) + "]", rating.phoneEntered ? .bold : .selected)
        lines.append(field)
        if let problem = rating.phoneProblem {
            lines += wrapped("✗ " + problem.text(language), width: width, indent: 3, tone: .red)
        }
        lines += wrapped(UI.phoneSkip.text(language), width: width, indent: 3, tone: .dim)
        return lines
    }
}
