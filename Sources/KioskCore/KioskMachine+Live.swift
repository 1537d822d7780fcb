import Foundation
import WindowClient
import WindowCore

// The live connection: connection state, and tickets and materials the server pushes.
extension KioskState {
    mutating func handleLive(_ event: LiveConnection.Event) -> [KioskEffect] {
        switch event {
        case .connected:
            let wasAway: Bool
            if case .reconnecting = connection { wasAway = true } else { wasAway = false }
            connection = .online
            var effects: [KioskEffect] = []
            if wasAway {
                notice = Notice(.success, hasLiveTicket ? UI.reconnected : UI.reconnectedPlain)
                siteRequestedAt = now
                effects.append(.loadSite)
            }
            if categories.isEmpty {
                categoriesRequestedAt = now
                effects.append(.loadCategories)
            }
            return effects
        case .disconnected:
            switch connection {
            case .online: connection = .reconnecting(since: now)
            case .reconnecting, .connecting: break
            }
            return []
        case .message(let message):
            switch message {
            case .ticket(let view): return apply(view)
            case .idle: return applyIdle()
            case .materials(let update): return apply(update)
            case .catalog: return catalogPublished()
            case .error, .pong, .unknown, .clerk, .queues, .board, .signal, .capture, .media, .ping: return []
            }
        }
    }

    /// A new catalog version: what the worker is browsing is read again. The ticket's own item
    /// keeps the version it was issued under.
    mutating func catalogPublished() -> [KioskEffect] {
        categoriesRequestedAt = now
        var effects: [KioskEffect] = [.loadCategories]
        switch screen {
        case .items(let list): effects.append(.loadItems(list.source))
        case .item(let guide): effects.append(.loadItem(code: guide.code))
        default: break
        }
        return effects
    }

    mutating func applyIdle() -> [KioskEffect] {
        guard let ticket, !ticket.state.isFinal else { return [] }
        // The server holds no live ticket for us: it ended while we were away.
        if let session = ticket.session {
            // A session that ended while we were away: read its outcome.
            return [.loadSession(session.id)]
        }
        self.ticket = nil
        busy = nil
        screen = .home(HomeScreen())
        notice = Notice(.error, UI.ticketLost)
        return []
    }

    /// A ticket pushed by the server (or just taken): move to the screen its state calls for.
    mutating func apply(_ view: TicketView) -> [KioskEffect] {
        if let current = ticket, current.id != view.id, view.state.isFinal {
            return []  // an old ticket's news
        }
        if let current = ticket, current.id == view.id, view.sequence < current.sequence {
            return []  // an answer that crossed a newer push on its way here
        }
        let previous = ticket
        ticket = view
        var effects: [KioskEffect] = []
        if ticketItem?.code != view.itemCode {
            ticketItem = nil
            effects.append(.loadTicketItem(code: view.itemCode, version: view.itemVersion))
        }
        switch view.state {
        case .waiting, .offered:
            if case .session = screen {
                notice = Notice(.info, UI.transferred)
                materials = []
                session = nil
            }
            switch screen {
            case .ticket: break
            default:
                // A live ticket is what this kiosk is about: the idCard step, browsing, all give way.
                if case .idCard = screen { busy = nil }
                if case .correction = screen { busy = nil }
                screen = .ticket(confirmLeave: false)
            }
        case .inSession:
            if case .session = screen {} else {
                screen = .session(SessionScreen())
                busy = nil
            }
            if let id = view.session?.id, session?.id != id || previous?.state != .inSession {
                if session?.id != id { materials = [] }
                effects.append(.loadSession(id))
            }
        case .done:
            busy = nil
            if let sessionInfo = view.session {
                switch screen {
                case .result, .rating, .thanks: break
                default: screen = .result
                }
                effects.append(.loadSession(sessionInfo.id))
            } else {
                finish()
            }
        case .cancelled, .abandoned:
            busy = nil
            switch screen {
            case .ticket, .session:
                screen = .home(HomeScreen())
                if previous?.state.isFinal != true && notice?.text != UI.leftQueue {
                    notice = Notice(.error, view.state == .cancelled ? UI.ticketCancelled : UI.ticketLost)
                }
            default: break
            }
            ticket = nil
            ticketItem = nil
            session = nil
            materials = []
            effects.removeAll { if case .loadTicketItem = $0 { true } else { false } }
        }
        return effects
    }

    mutating func apply(_ update: MaterialsUpdate) -> [KioskEffect] {
        guard update.session == ticket?.session?.id else { return [] }
        let before = Dictionary(materials.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        for material in update.materials where before[material.id] != material.status {
            switch material.status {
            case .accepted:
                notice = Notice(.success, UI.format(UI.materialAccepted, material.name))
            case .rejected:
                let reason = material.reason ?? ""
                notice = Notice(.error, UI.format(UI.materialRejected, material.name, reason))
            case .pending:
                break
            }
        }
        materials = update.materials
        return []
    }
}
