import Foundation
import WindowClient
import WindowCore

// Answers to effects, and their failures.
extension KioskState {
    mutating func handleAnswer(_ event: KioskEvent) -> [KioskEffect] {
        switch event {
        case .siteLoaded(let site):
            self.site = site
            siteLoadedAt = now
            // The server's numbers win over the defaults this kiosk was built with.
            if let grace = site.kioskGraceSeconds { settings.kioskGrace = TimeInterval(grace) }
            if let age = site.elderlyAge { settings.elderlyAge = age }
        case .categoriesLoaded(let categories):
            self.categories = categories
        case .itemsLoaded(let source, let items):
            if case .items(var list) = screen, list.source == source {
                list.items = items
                list.selected = min(list.selected, max(0, items.count - 1))
                screen = .items(list)
            }
        case .itemLoaded(let item):
            if case .item(var guide) = screen, guide.code == item.code {
                guide.item = item
                screen = .item(guide)
                clampScroll()
            }
            if ticket?.itemCode == item.code { ticketItem = item }
        case .ticketItemLoaded(let item):
            if ticket?.itemCode == item.code { ticketItem = item }
        case .ticketTaken(let view):
            busy = nil
            var item: CatalogItem?
            if case .idCard(let idCard) = screen { item = idCard.item }
            var effects = apply(view)
            if let item, item.code == view.itemCode {
                ticketItem = item
                effects.removeAll { if case .loadTicketItem(item.code, _) = $0 { true } else { false } }
            }
            let current = ticket ?? view  // a push may have brought it further already
            if !current.state.isFinal {
                if current.state == .inSession {
                    if case .session = screen {} else { screen = .session(SessionScreen()) }
                } else {
                    screen = .ticket(confirmLeave: false)
                }
                notice = Notice(.success, UI.ticketTaken)
            }
            return effects
        case .ticketLeft(let view):
            busy = nil
            notice = Notice(.success, UI.leftQueue)
            _ = apply(view)
            if !hasLiveTicket { finish() }
        case .currentTicketLoaded(let view):
            busy = nil
            if let view { return apply(view) }
        case .sessionLoaded(let loaded):
            guard loaded.id == ticket?.session?.id || loaded.id == session?.id else { return [] }
            session = loaded
            materials = loaded.materials
            if loaded.outcome == .needsMaterials && loaded.correction == nil { correctionReadAt = now }
            if loaded.state == .ended || loaded.outcome != nil {
                if var view = ticket, view.session?.id == loaded.id {
                    view.session?.outcome = loaded.outcome
                    view.session?.caseNumber = loaded.caseNumber
                    view.session?.state = .ended
                    if !view.state.isFinal && loaded.outcome != .transferred { view.state = .done }
                    ticket = view
                }
                if loaded.outcome != .transferred {
                    switch screen {
                    case .result, .rating, .thanks: break
                    case .home, .items, .item, .idCard, .correction:
                        break  // The person moved on; don't pull them back.
                    default: screen = .result
                    }
                }
            }
        case .filesListed(let files):
            if case .session(var session) = screen, case .pickFile(nil, let selected) = session.mode {
                session.mode = .pickFile(files: files, selected: selected)
                screen = .session(session)
            }
        case .uploaded(let material):
            busy = nil
            if let index = materials.firstIndex(where: { $0.id == material.id }) {
                materials[index] = material
            } else {
                materials.append(material)
            }
            notice = Notice(.success, UI.format(UI.uploaded, material.name))
        case .rated:
            busy = nil
            if case .rating(let rating) = screen, rating.askingPhone, !rating.phone.isEmpty {
                callbackMasked = Format.maskedPhone(rating.phone)
            }
            screen = .thanks(until: now.addingTimeInterval(settings.thanksDuration))
            notice = Notice(.success, UI.rated)
        case .correctionFound(let found):
            return correctionFound(found)
        case .correctionItemLoaded(let item):
            correctionItemLoaded(item)
        case .failed(let effect, let error):
            return handleFailure(effect, error)
        default:
            break
        }
        return []
    }

    mutating func handleFailure(_ effect: KioskEffect, _ error: WindowClientError) -> [KioskEffect] {
        switch effect {
        case .loadSite, .loadCategories, .loadTicketItem, .loadCurrentTicket:
            // Retried by the clock; the connection banner already tells people.
            if case .loadCurrentTicket = effect { busy = nil }
            return []
        case .loadItems(let source):
            if case .items(let list) = screen, list.source == source {
                screen = .home(list.home)
                notice = .error(error)
            }
        case .loadItem(let code):
            if case .item(let guide) = screen, guide.code == code, guide.item == nil {
                if let list = guide.list { screen = .items(list) } else { screen = .home(HomeScreen()) }
                notice = .error(error)
            }
        case .takeTicket:
            busy = nil
            notice = .error(error)
            switch error.serverCode {
            case .kioskHasTicket:
                notice = Notice(.info, UI.alreadyHaveTicket)
                busy = .takingTicket
                return [.loadCurrentTicket]
            case .priorityNotAllowed:
                if case .idCard(var idCard) = screen, case .lane(let check, _) = idCard.step {
                    idCard.step = .lane(check, selected: 0)
                    screen = .idCard(idCard)
                }
            case .invalidIDNumber:
                if case .idCard(var idCard) = screen {
                    idCard.step = .entry(text: "", problem: nil)
                    screen = .idCard(idCard)
                }
            default: break
            }
        case .leaveTicket:
            busy = nil
            notice = .error(error)
        case .loadSession:
            return []
        case .listFiles:
            if case .session(var session) = screen, case .pickFile = session.mode {
                session.mode = .overview
                screen = .session(session)
            }
            notice = .error(error)
        case .upload:
            busy = nil
            notice = .error(error)
        case .rate:
            busy = nil
            if error.serverCode == .alreadyRated {
                screen = .thanks(until: now.addingTimeInterval(settings.thanksDuration))
            } else if error.serverCode == .invalidPhone || error.serverCode == .consentRequired,
                case .rating(var rating) = screen, rating.askingPhone
            {
                // The number as typed comes back to be corrected, with the server's reason.
                rating.phoneEntered = false
                rating.phoneProblem = .bilingual(error.message)
                screen = .rating(rating)
            } else {
                notice = .error(error)
            }
        case .lookUpCorrection:
            busy = nil
            referenceRefused(error)
        case .loadCorrectionItem:
            return []  // The 补正 shows with its item code; the ticket can be taken all the same.
        case .takeReturnTicket:
            busy = nil
            if error.serverCode == .kioskHasTicket {
                notice = Notice(.info, UI.alreadyHaveTicket)
                busy = .takingTicket
                return [.loadCurrentTicket]
            }
            if Self.isReferenceRefusal(error) {
                referenceRefused(error)
            } else {
                notice = .error(error)
            }
        }
        return []
    }
}
