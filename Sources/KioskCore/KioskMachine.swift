import Foundation
import WindowClient
import WindowCore

/// What happens to the kiosk: a key, the clock, the live connection, or an answer to an effect.
public enum KioskEvent: Sendable, Equatable {
    case key(Key)
    case tick
    case resize(width: Int, height: Int)
    case live(LiveConnection.Event)
    case siteLoaded(SiteView)
    case categoriesLoaded([WindowCore.Category])
    case itemsLoaded(ItemsScreen.Source, [CatalogItem])
    case itemLoaded(CatalogItem)
    case ticketItemLoaded(CatalogItem)
    case ticketTaken(TicketView)
    case ticketLeft(TicketView)
    case currentTicketLoaded(TicketView?)
    case sessionLoaded(SessionView)
    case filesListed([FileEntry])
    case uploaded(MaterialView)
    case rated(RatingView)
    /// The 补正 a reference names, as the server checked it (open, in time).
    case correctionFound(KioskCorrectionView)
    /// The item of a 补正 found, at the version it was opened under.
    case correctionItemLoaded(CatalogItem)
    case failed(KioskEffect, WindowClientError)
}

extension KioskEvent {
    var isKey: Bool {
        if case .key = self { return true }
        return false
    }
}

/// What the kiosk asks the outside world to do; the answer comes back as a ``KioskEvent``.
public enum KioskEffect: Sendable, Equatable {
    case loadSite
    case loadCategories
    case loadItems(ItemsScreen.Source)
    case loadItem(code: String)
    /// The item as the ticket was issued under it (its version), not as published since.
    case loadTicketItem(code: String, version: Int?)
    case takeTicket(item: String, idNumber: SecretIDNumber, priority: PriorityReason?)
    case leaveTicket(Int64)
    case loadCurrentTicket
    case loadSession(Int64)
    case listFiles(directory: String)
    case upload(session: Int64, path: String, name: String)
    /// A rating; with a level of 1–2, optionally, the call-back number the worker agreed to leave.
    case rate(session: Int64, level: Int, comment: String?, callbackPhone: CallbackPhone? = nil)
    /// Looks up a 补正 by its reference (the earlier session's case number).
    case lookUpCorrection(reference: String)
    case loadCorrectionItem(code: String, version: Int?)
    /// A ticket for a worker back with a 补正's materials: the priority lane, no ID card read again.
    case takeReturnTicket(item: String, reference: String)
}

extension KioskState {
    /// What to do first: read the site and the categories.
    public mutating func start() -> [KioskEffect] {
        siteRequestedAt = now
        categoriesRequestedAt = now
        return [.loadSite, .loadCategories]
    }

    /// The one way the state changes: an event at a time, giving the effects to run.
    public mutating func handle(_ event: KioskEvent, at time: Date) -> [KioskEffect] {
        let screenBefore = screen.name
        let noticeBefore = notice
        let effects = dispatch(event, at: time)
        // A message belongs to the screen it was shown on: a screen change the person did not
        // cause (a push from the server) takes an old message away unless it brought a new one.
        if screen.name != screenBefore, notice == noticeBefore, !(event.isKey) { notice = nil }
        return effects
    }

    mutating func dispatch(_ event: KioskEvent, at time: Date) -> [KioskEffect] {
        now = time
        switch event {
        case .key(let key):
            lastInput = time
            return handleKey(key)
        case .tick:
            return handleTick()
        case .resize(let width, let height):
            self.width = max(1, width)
            self.height = max(1, height)
            clampScroll()
            return []
        case .live(let live):
            return handleLive(live)
        default:
            return handleAnswer(event)
        }
    }

    // MARK: - Keys

    mutating func handleKey(_ key: Key) -> [KioskEffect] {
        // The language toggle works everywhere except while typing free text.
        if key == .function(2) || (!isTypingText && (key == .character("L") || key == .character("l"))) {
            language = language.other
            return []
        }
        if case .thanks = screen {
            finish()
            return []
        }
        if busy != nil { return [] }
        let hadNotice = notice
        notice = nil
        switch screen {
        case .home(let home):
            return editing(home, Screen.home) { $0.homeKey(key, &$1) }
        case .items(let list):
            return editing(list, Screen.items) { $0.itemsKey(key, &$1) }
        case .item(let guide):
            return editing(guide, Screen.item) { $0.itemKey(key, &$1) }
        case .idCard(let idCard):
            return editing(idCard, Screen.idCard) { $0.idCardKey(key, &$1) }
        case .correction(let correction):
            return editing(correction, Screen.correction) { $0.correctionKey(key, &$1) }
        case .ticket(let confirmLeave):
            return ticketKey(key, confirmLeave: confirmLeave, keep: hadNotice)
        case .session(let session):
            return editing(session, Screen.session) { $0.sessionKey(key, &$1) }
        case .result:
            switch key {
            case .enter: screen = .rating(RatingScreen())
            case .escape: finish()
            default: break
            }
            return []
        case .rating(let rating):
            return editing(rating, Screen.rating) { $0.ratingKey(key, &$1) }
        case .thanks:
            return []
        }
    }

    /// Lets a screen's key handler change its own data, and keeps the change unless the handler
    /// moved on to another screen.
    mutating func editing<Value>(
        _ value: Value, _ screenOf: (Value) -> Screen, _ handler: (inout KioskState, inout Value) -> [KioskEffect]
    ) -> [KioskEffect] {
        var value = value
        let name = screen.name
        let effects = handler(&self, &value)
        if screen.name == name { screen = screenOf(value) }
        return effects
    }

    /// True while a free-text field has the keys (where L is a letter).
    var isTypingText: Bool {
        switch screen {
        case .home(let home): home.focus == .search
        case .session(let session):
            if case .pickName(_, _, let custom) = session.mode { custom != nil } else { false }
        case .rating(let rating): rating.editingComment
        case .correction(let correction):
            if case .entry = correction.step { true } else { false }
        default: false
        }
    }

    static func isTextCharacter(_ character: Character) -> Bool {
        !character.isNewline && character.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }

    // MARK: - Clock

    mutating func handleTick() -> [KioskEffect] {
        var effects: [KioskEffect] = []
        if case .thanks(let until) = screen, now >= until {
            finish()
        } else if isIdleScreen, now.timeIntervalSince(lastInput) >= settings.idleTimeout {
            let hadPersonal = hasPersonalData
            finish()
            language = .zh
            lastInput = now
            if hadPersonal { notice = Notice(.info, UI.idleReset) }
        }
        if connection == .online || site == nil {
            let refresh = site == nil ? 5 : settings.siteRefresh
            if siteRequestedAt.map({ now.timeIntervalSince($0) >= refresh }) ?? true {
                siteRequestedAt = now
                effects.append(.loadSite)
            }
        }
        if categories.isEmpty, categoriesRequestedAt.map({ now.timeIntervalSince($0) >= 5 }) ?? true {
            categoriesRequestedAt = now
            effects.append(.loadCategories)
        }
        if let id = correctionToRead {
            correctionReadAt = now
            correctionReads += 1
            effects.append(.loadSession(id))
        }
        return effects
    }

    /// The session to read again on the result screen of a 补正 whose case (the missing list and
    /// the deadline) was not written yet when the session was read: every 2 s, 10 times at most.
    var correctionToRead: Int64? {
        guard case .result = screen, correctionReads < 10 else { return nil }
        guard let id = ticket?.session?.id ?? session?.id else { return nil }
        let outcome = session?.outcome ?? ticket?.session?.outcome
        guard outcome == .needsMaterials, session?.correction == nil else { return nil }
        if let last = correctionReadAt, now.timeIntervalSince(last) < 2 { return nil }
        return id
    }

    /// Screens the idle timeout applies to: everywhere but waiting for and being in a live session.
    public var isIdleScreen: Bool {
        switch screen {
        case .ticket, .session: !hasLiveTicket
        case .home(let home): home != HomeScreen() || language != .zh || busy != nil
        case .thanks: false
        default: true
        }
    }

    /// Seconds until the idle timeout fires, when it is close enough to show.
    public var idleCountdown: Int? {
        guard isIdleScreen else { return nil }
        if case .home = screen { return nil }
        let left = settings.idleTimeout - now.timeIntervalSince(lastInput)
        guard left <= settings.idleWarning else { return nil }
        return max(0, Int(left.rounded(.up)))
    }

    var hasPersonalData: Bool {
        switch screen {
        case .home(let home): return !home.query.isEmpty
        default: return true
        }
    }

    /// Back to home, forgetting the person: their ID, search, finished ticket and session.
    /// A live ticket is never dropped: it is shown instead.
    public mutating func finish() {
        busy = nil
        if hasLiveTicket {
            screen = .ticket(confirmLeave: false)
            return
        }
        screen = .home(HomeScreen())
        ticket = nil
        ticketItem = nil
        session = nil
        materials = []
        correctionReadAt = nil
        correctionReads = 0
        callbackMasked = nil
    }
}
