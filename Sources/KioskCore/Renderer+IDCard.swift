import Foundation
import WindowClient
import WindowCore

// The idCard screen: the ID number, then the lane.
extension Renderer {
    static func idCardBody(_ state: KioskState, _ idCard: IDCardScreen, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        var itemLine = StyledLine(" " + idCard.item.name.text(language), .bold)
        itemLine.add("  " + idCard.item.code, .cyan)
        lines.append(itemLine)
        lines.append(.empty)
        switch idCard.step {
        case .entry(let text, let problem):
            lines += wrapped(UI.idPrompt.text(language), width: width)
            lines.append(.empty)
            var field = StyledLine("   " + UI.idField.text(language))
            field.add("[" + TextLayout.pad(text + (text.count < 18 ? "_" : ""), to: 19) + "]", .selected)
            field.add("  \(text.count)/18", .dim)
            lines.append(field)
            if let problem {
                lines += wrapped("✗ " + UI.idProblem(problem).text(language), width: width, indent: 3, tone: .red)
            }
            lines.append(.empty)
            lines += wrapped(UI.idPrivacy.text(language), width: width, indent: 1, tone: .dim)
        case .lane(let check, let selected):
            var read = StyledLine(" " + UI.idRead.text(language))
            read.add(check.idNumber.masked, .bold)
            read.add("    " + UI.ageLabel.text(language) + "\(check.age)" + UI.ageSuffix.text(language))
            lines.append(read)
            if check.lanes.contains(.elderly) {
                lines += wrapped(UI.elderlyOffered.text(language), width: width, tone: .green)
            }
            lines.append(.empty)
            lines.append(StyledLine(" " + UI.chooseLane.text(language), .bold))
            for (index, lane) in check.lanes.enumerated() {
                lines.append(row(index + 1, UI.lane(lane).text(language), selected: index == selected, width: width))
            }
            lines.append(.empty)
            lines += wrapped(UI.idPrivacy.text(language), width: width, indent: 1, tone: .dim)
        }
        return lines
    }
}
