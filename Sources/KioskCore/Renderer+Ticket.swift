import Foundation
import WindowClient
import WindowCore

// The ticket screen: the number, the wait, leaving the queue.
extension Renderer {
    static func ticketBody(_ state: KioskState, confirmLeave: Bool, width: Int) -> [StyledLine] {
        let language = state.language
        var lines = reconnectBanner(state, width: width)
        guard let ticket = state.ticket else { return lines }
        lines.append(StyledLine(" " + UI.ticketNumber.text(language), .bold))
        var number = StyledLine("      ")
        number.add("  " + ticket.number + "  ", .selected)
        let lane: LocalizedText = switch (ticket.priorityClass, ticket.priorityReason) {
        case (_, .returning?): UI.laneReturning  // back with a 补正's materials
        case (.priority, _): UI.lanePriority
        case (.appointment, _): UI.laneAppointment
        case (.normal, _): UI.laneNormalShort
        }
        number.add("    " + itemName(state), .bold)
        number.add("  [" + lane.text(language) + "]", ticket.priorityClass == .normal ? .dim : .green)
        lines.append(number)
        lines.append(.empty)
        if ticket.state == .offered {
            lines += wrapped(UI.offered.text(language), width: width, tone: .green)
        }
        if let position = ticket.position {
            var line = StyledLine(" " + UI.format(UI.position, position).text(language), .bold)
            if let ahead = ticket.ahead { line.add("     " + UI.format(UI.ahead, ahead).text(language)) }
            lines.append(line)
        }
        lines.append(StyledLine(" " + Format.eta(ticket.waitSeconds).text(language), ticket.waitSeconds == nil ? .yellow : .plain))
        if let clerks = ticket.clerksOnDuty {
            lines.append(StyledLine(" " + UI.format(UI.clerksOnDuty, clerks).text(language), .dim))
        }
        if let masked = ticket.idNumberMasked {
            lines.append(StyledLine(" " + UI.idMasked.text(language) + masked, .dim))
        }
        lines.append(.empty)
        lines += wrapped(UI.waitingNote.text(language), width: width, tone: .cyan)
        if confirmLeave {
            lines.append(.empty)
            lines += wrapped(UI.confirmLeave.text(language), width: width - 2, indent: 1, tone: .banner)
        }
        return lines
    }
}
