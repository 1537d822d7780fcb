import Foundation
import WindowClient
import WindowCore

// 补正: the reference on the result screen, and the screen of a worker coming back with it.
extension Renderer {
    /// A 补正's result: the reference, framed, to note down; what is missing; until when.
    static func correctionResultLines(_ state: KioskState, reference: String?, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        if let reference {
            lines += referenceBox(reference, label: UI.referenceLabel.text(language))
            lines += wrapped(UI.noteItDown.text(language), width: width, indent: 1, tone: .yellow)
        }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.missingLabel.text(language), .bold))
        guard let correction = state.session?.correction else {
            // The case is written just after the session ends: it is read again for a while.
            let text = state.correctionReads >= 10 ? UI.missingAsTold : UI.loading
            lines.append(StyledLine("   " + text.text(language), .dim))
            return lines
        }
        lines += missingLines(correction.missing, item: state.ticketItem, language: language, width: width)
        if let returnBy = correction.returnBy {
            lines.append(returnByLine(returnBy, language: language))
        }
        return lines
    }

    /// The reference in a frame, after its label: the one thing to note down.
    static func referenceBox(_ reference: String, label: String) -> [StyledLine] {
        let inner = "   " + reference + "   "
        let rule = String(repeating: "─", count: TextLayout.width(inner))
        let pad = String(repeating: " ", count: TextLayout.width(label) + 1)
        var middle = StyledLine(" " + label, .bold)
        middle.add("│", .bold)
        middle.add(inner, .selected)
        middle.add("│", .bold)
        return [StyledLine(pad + "┌" + rule + "┐", .bold), middle, StyledLine(pad + "└" + rule + "┘", .bold)]
    }

    /// What is missing, numbered, by the names of the item's materials list (in English when the
    /// item gives the English name).
    static func missingLines(_ missing: [String], item: CatalogItem?, language: Language, width: Int) -> [StyledLine] {
        guard !missing.isEmpty else { return wrapped(UI.missingAsTold.text(language), width: width, indent: 3) }
        var lines: [StyledLine] = []
        for (index, name) in missing.enumerated() {
            let shown = item?.materials.first(where: { $0.name.zh == name })?.name.text(language) ?? name
            lines += wrapped("\(index + 1). " + shown, width: width, indent: 3, tone: .yellow)
        }
        return lines
    }

    static func returnByLine(_ returnBy: Date, language: Language) -> StyledLine {
        var line = StyledLine(" " + UI.returnByLabel.text(language), .bold)
        line.add(Format.lastDay(returnBy, language: language) + UI.returnBySuffix.text(language), .yellow)
        return line
    }

    static func correctionBody(_ state: KioskState, _ correction: CorrectionScreen, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        switch correction.step {
        case .entry(let text, let problem):
            lines += wrapped(UI.referencePrompt.text(language), width: width)
            lines.append(.empty)
            var field = StyledLine("   " + UI.referenceLabel.text(language))
            let fieldWidth = max(10, min(KioskState.referenceLimit + 1, width - TextLayout.width(field.plain) - 4))
            let shown = text.count < KioskState.referenceLimit ? text + "_" : text
            field.add("[" + TextLayout.pad(TextLayout.ellipsize(shown, to: fieldWidth), to: fieldWidth) + "]", .selected)
            lines.append(field)
            if let problem {
                lines.append(.empty)
                lines += wrapped("✗ " + problem.headline.text(language), width: width, indent: 1, tone: .red)
                lines += wrapped(problem.message.text(language), width: width, indent: 3, tone: .red)
            }
            lines.append(.empty)
            lines += wrapped(UI.referenceHint.text(language), width: width, indent: 1, tone: .dim)
        case .found(let found, let item):
            var itemLine = StyledLine(" " + (item?.name.text(language) ?? found.item), .bold)
            if item != nil { itemLine.add("  " + found.item, .cyan) }
            lines.append(itemLine)
            var reference = StyledLine(" " + UI.referenceLabel.text(language))
            reference.add(found.reference, .bold)
            lines.append(reference)
            if let returnBy = found.returnBy { lines.append(returnByLine(returnBy, language: language)) }
            lines.append(.empty)
            lines.append(StyledLine(" " + UI.missingCheck.text(language), .bold))
            lines += missingLines(found.missing, item: item, language: language, width: width)
            lines.append(.empty)
            lines += wrapped(UI.takeReturn.text(language), width: width, indent: 1, tone: .green)
            lines += wrapped(UI.referenceHint.text(language), width: width, indent: 1, tone: .dim)
        }
        return lines
    }

    static func thanksBody(_ state: KioskState, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = [.empty, .empty, StyledLine("   " + UI.thanks.text(state.language), .green)]
        if let masked = state.callbackMasked {
            lines.append(.empty)
            lines += wrapped(UI.format(UI.callbackLeft, masked).text(state.language), width: width, indent: 3)
        }
        return lines
    }
}
