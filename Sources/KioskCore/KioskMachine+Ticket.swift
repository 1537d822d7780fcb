import Foundation
import WindowClient
import WindowCore

// Keys on the ticket screen, where a person waits and may leave the queue.
extension KioskState {
    mutating func ticketKey(_ key: Key, confirmLeave: Bool, keep notice: Notice?) -> [KioskEffect] {
        guard let ticket, !ticket.state.isFinal else {
            finish()
            return []
        }
        if confirmLeave {
            switch key {
            case .character("y"), .character("Y"), .enter:
                busy = .leaving
                screen = .ticket(confirmLeave: false)
                return [.leaveTicket(ticket.id)]
            case .character("n"), .character("N"), .escape:
                screen = .ticket(confirmLeave: false)
            default: break
            }
            return []
        }
        switch key {
        case .escape, .character("q"), .character("Q"), .backspace:
            screen = .ticket(confirmLeave: true)
        default:
            // Keep a message about the ticket visible when a stray key is pressed.
            self.notice = notice
        }
        return []
    }
}
