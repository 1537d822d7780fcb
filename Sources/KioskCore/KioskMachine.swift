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
    case loadTicketItem(code: String)
    case takeTicket(item: String, idNumber: SecretIDNumber, priority: PriorityReason?)
    case leaveTicket(Int64)
    case loadCurrentTicket
    case loadSession(Int64)
    case listFiles(directory: String)
    case upload(session: Int64, path: String, name: String)
    case rate(session: Int64, level: Int, comment: String?)
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
        case .home(var home):
            let effects = homeKey(key, &home)
            if case .home = screen { screen = .home(home) }
            return effects
        case .items(var list):
            let effects = itemsKey(key, &list)
            if case .items = screen { screen = .items(list) }
            return effects
        case .item(var guide):
            let effects = itemKey(key, &guide)
            if case .item = screen { screen = .item(guide) }
            return effects
        case .identity(var identity):
            let effects = identityKey(key, &identity)
            if case .identity = screen { screen = .identity(identity) }
            return effects
        case .ticket(let confirmLeave):
            return ticketKey(key, confirmLeave: confirmLeave, keep: hadNotice)
        case .session(var session):
            let effects = sessionKey(key, &session)
            if case .session = screen { screen = .session(session) }
            return effects
        case .result:
            switch key {
            case .enter: screen = .rating(RatingScreen())
            case .escape: finish()
            default: break
            }
            return []
        case .rating(var rating):
            let effects = ratingKey(key, &rating)
            if case .rating = screen { screen = .rating(rating) }
            return effects
        case .thanks:
            return []
        }
    }

    /// True while a free-text field has the keys (where L is a letter).
    var isTypingText: Bool {
        switch screen {
        case .home(let home): home.focus == .search
        case .session(let session):
            if case .pickName(_, _, let custom) = session.mode { custom != nil } else { false }
        case .rating(let rating): rating.editingComment
        default: false
        }
    }

    static func isTextCharacter(_ character: Character) -> Bool {
        !character.isNewline && character.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }

    mutating func homeKey(_ key: Key, _ home: inout HomeScreen) -> [KioskEffect] {
        switch home.focus {
        case .search:
            switch key {
            case .character(let c) where Self.isTextCharacter(c):
                if home.query.count < 50 { home.query.append(c) }
            case .backspace:
                if !home.query.isEmpty { home.query.removeLast() }
            case .escape:
                if home.query.isEmpty { home.focus = .category(0) } else { home.query = "" }
            case .down, .tab:
                if !categories.isEmpty { home.focus = .category(0) }
            case .enter:
                let query = home.query.trimmingCharacters(in: .whitespaces)
                guard !query.isEmpty else {
                    notice = Notice(.info, UI.searchEmpty)
                    return []
                }
                let source = ItemsScreen.Source.search(query)
                screen = .items(ItemsScreen(source: source, home: home))
                return [.loadItems(source)]
            default: break
            }
        case .category(let index):
            switch key {
            case .up:
                home.focus = index == 0 ? .search : .category(index - 1)
            case .down:
                if index + 1 < categories.count { home.focus = .category(index + 1) }
            case .tab, .character("/"):
                home.focus = .search
            case .enter:
                return openCategory(index, home)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= categories.count {
                    home.focus = .category(n - 1)
                    return openCategory(n - 1, home)
                }
            case .character(let c) where Self.isTextCharacter(c) && c != " ":
                // Typing anything else starts a search.
                home.focus = .search
                home.query.append(c)
            default: break
            }
        }
        return []
    }

    mutating func openCategory(_ index: Int, _ home: HomeScreen) -> [KioskEffect] {
        guard categories.indices.contains(index) else { return [] }
        let source = ItemsScreen.Source.category(categories[index])
        screen = .items(ItemsScreen(source: source, home: home))
        return [.loadItems(source)]
    }

    mutating func itemsKey(_ key: Key, _ list: inout ItemsScreen) -> [KioskEffect] {
        let count = list.items?.count ?? 0
        if case .character(let c) = key, c.isASCII, let digit = c.wholeNumberValue {
            guard count > 0 else { return [] }
            switch Self.pickNumber(buffer: list.numberBuffer, digit: digit, count: count) {
            case .open(let index):
                list.numberBuffer = ""
                list.selected = index
                return openItem(index, list)
            case .wait(let buffer, let index):
                list.numberBuffer = buffer
                list.selected = index
            case .ignore:
                list.numberBuffer = ""
            }
            return []
        }
        let buffered = list.numberBuffer
        list.numberBuffer = ""
        switch key {
        case .up: list.selected = max(0, list.selected - 1)
        case .down: list.selected = min(max(0, count - 1), list.selected + 1)
        case .pageUp: list.selected = max(0, list.selected - listPage)
        case .pageDown: list.selected = min(max(0, count - 1), list.selected + listPage)
        case .home: list.selected = 0
        case .end: list.selected = max(0, count - 1)
        case .enter:
            if let n = Int(buffered), n >= 1, n <= count { return openItem(n - 1, list) }
            if count > 0 { return openItem(list.selected, list) }
        case .escape, .backspace, .left:
            screen = .home(list.home)
        default: break
        }
        return []
    }

    var listPage: Int { max(1, height - 10) }

    enum NumberPick: Equatable {
        case open(Int)
        case wait(buffer: String, index: Int)
        case ignore
    }

    /// Numbers pick rows: a number that no further digit could extend opens its row at once;
    /// otherwise (e.g. `1` of 12 rows) the row is marked and the next digit or Enter decides.
    static func pickNumber(buffer: String, digit: Int, count: Int) -> NumberPick {
        let candidate = buffer + String(digit)
        if let n = Int(candidate), n >= 1, n <= count {
            return n * 10 > count ? .open(n - 1) : .wait(buffer: candidate, index: n - 1)
        }
        if !buffer.isEmpty { return pickNumber(buffer: "", digit: digit, count: count) }
        return .ignore
    }

    mutating func openItem(_ index: Int, _ list: ItemsScreen) -> [KioskEffect] {
        guard let items = list.items, items.indices.contains(index) else { return [] }
        let item = items[index]
        screen = .item(ItemScreen(code: item.code, item: item, list: list))
        // The list's copy is enough to show; read the current version too.
        return [.loadItem(code: item.code)]
    }

    mutating func itemKey(_ key: Key, _ guide: inout ItemScreen) -> [KioskEffect] {
        switch key {
        case .up: guide.scroll = max(0, guide.scroll - 1)
        case .down: guide.scroll = min(maxGuideScroll(guide), guide.scroll + 1)
        case .pageUp: guide.scroll = max(0, guide.scroll - listPage)
        case .pageDown, .character(" "): guide.scroll = min(maxGuideScroll(guide), guide.scroll + listPage)
        case .escape, .backspace, .left:
            if let list = guide.list { screen = .items(list) } else { screen = .home(HomeScreen()) }
        case .enter:
            guard let item = guide.item else { return [] }
            if hasLiveTicket {
                notice = Notice(.info, UI.alreadyHaveTicket)
                screen = .ticket(confirmLeave: false)
                return []
            }
            guard item.status == .active else {
                notice = Notice(.error, UI.itemSuspended)
                return []
            }
            if let site, !site.openNow {
                var text = UI.closedNow
                if let next = site.nextOpening {
                    text = text + L("，", ", ") + UI.nextOpening + L(Format.dateTime(next), Format.dateTime(next))
                }
                notice = Notice(.error, text)
                return []
            }
            screen = .identity(IdentityScreen(item: item, guide: guide))
        default: break
        }
        return []
    }

    func maxGuideScroll(_ guide: ItemScreen) -> Int {
        guard let item = guide.item else { return 0 }
        let lines = Renderer.guideLines(item, width: width, language: language).count
        let height = Renderer.bodyHeight(self.height)
        // When it scrolls, the last body row is the scroll indicator.
        return lines > height ? lines - (height - 1) : 0
    }

    mutating func clampScroll() {
        if case .item(var guide) = screen {
            guide.scroll = min(guide.scroll, maxGuideScroll(guide))
            screen = .item(guide)
        }
    }

    mutating func identityKey(_ key: Key, _ identity: inout IdentityScreen) -> [KioskEffect] {
        switch identity.step {
        case .entry(var text, var problem):
            switch key {
            case .character(let c) where (c.isASCII && c.isNumber) || c == "x" || c == "X":
                if text.count < 18 { text.append(c == "x" ? "X" : c) }
                problem = nil
            case .backspace:
                if !text.isEmpty { text.removeLast() }
                problem = nil
            case .escape:
                // Leaving the screen forgets what was typed.
                screen = .item(identity.guide)
                return []
            case .enter:
                switch IdentityCheck.check(text, today: now, elderlyAge: settings.elderlyAge) {
                case .success(let check):
                    let selected = check.lanes.firstIndex(of: check.suggestedLane) ?? 0
                    identity.step = .lane(check, selected: selected)
                    return []
                case .failure(let found):
                    problem = found
                }
            default: break
            }
            identity.step = .entry(text: text, problem: problem)
        case .lane(let check, var selected):
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(check.lanes.count - 1, selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= check.lanes.count { selected = n - 1 }
            case .escape:
                identity.step = .entry(text: "", problem: nil)
                return []
            case .enter:
                let lane = check.lanes[min(selected, check.lanes.count - 1)]
                busy = .takingTicket
                identity.step = .lane(check, selected: selected)
                return [.takeTicket(item: identity.item.code, idNumber: check.idNumber, priority: lane.priorityReason)]
            default: break
            }
            identity.step = .lane(check, selected: selected)
        }
        return []
    }

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

    mutating func sessionKey(_ key: Key, _ session: inout SessionScreen) -> [KioskEffect] {
        guard let sessionID = ticket?.session?.id, hasLiveTicket else { return [] }
        switch session.mode {
        case .overview:
            switch key {
            case .character("u"), .character("U"):
                session.mode = .pickFile(files: nil, selected: 0)
                return [.listFiles(directory: settings.materialsDirectory)]
            case .character("r"), .character("R"):
                return [.loadSession(sessionID)]
            default: break
            }
        case .pickFile(let files, var selected):
            let count = files?.count ?? 0
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(max(0, count - 1), selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= count { selected = n - 1 }
            case .escape: session.mode = .overview; return []
            case .enter:
                guard let files, files.indices.contains(selected) else { return [] }
                let file = files[selected]
                guard file.kind != nil else {
                    notice = Notice(.error, .bilingual(Self.unsupportedMessage))
                    return []
                }
                session.mode = .pickName(file: file, selected: 0, custom: nil)
                return []
            default: break
            }
            session.mode = .pickFile(files: files, selected: selected)
        case .pickName(let file, var selected, var custom):
            let names = materialNames
            if var text = custom {
                switch key {
                case .character(let c) where Self.isTextCharacter(c):
                    if text.count < 64 { text.append(c) }
                case .backspace: if !text.isEmpty { text.removeLast() }
                case .escape: custom = nil; session.mode = .pickName(file: file, selected: selected, custom: nil); return []
                case .enter:
                    let name = text.trimmingCharacters(in: .whitespaces)
                    guard !name.isEmpty else { return [] }
                    session.mode = .overview
                    busy = .uploading
                    return [.upload(session: sessionID, path: file.path, name: name)]
                default: break
                }
                session.mode = .pickName(file: file, selected: selected, custom: text)
                return []
            }
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(names.count, selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= names.count + 1 { selected = n - 1 }
            case .escape: session.mode = .overview; return []
            case .enter:
                if selected >= names.count {
                    custom = ""
                } else {
                    session.mode = .overview
                    busy = .uploading
                    return [.upload(session: sessionID, path: file.path, name: String(names[selected].zh.prefix(64)))]
                }
            default: break
            }
            session.mode = .pickName(file: file, selected: selected, custom: custom)
        }
        return []
    }

    static let unsupportedMessage = "仅支持 JPEG、PNG 或 PDF 扫描件，该文件不是 / only JPEG, PNG or PDF scans can be uploaded; this file is none of them"

    /// The names a material can be handed over as: the item's list (the last row is "other").
    public var materialNames: [LocalizedText] {
        (ticketItem?.materials ?? []).map(\.name)
    }

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
        return effects
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
    }

    // MARK: - Live connection

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
            case .error, .pong, .unknown, .clerk, .queues, .board, .signal, .ping: return []
            }
        }
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
        let previous = ticket
        ticket = view
        var effects: [KioskEffect] = []
        if ticketItem?.code != view.itemCode {
            ticketItem = nil
            effects.append(.loadTicketItem(code: view.itemCode))
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
                // A live ticket is what this kiosk is about: the identity step, browsing, all give way.
                if case .identity = screen { busy = nil }
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

    // MARK: - Answers

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
            if case .identity(let identity) = screen { item = identity.item }
            var effects = apply(view)
            if let item, item.code == view.itemCode {
                ticketItem = item
                effects.removeAll { $0 == .loadTicketItem(code: item.code) }
            }
            if !view.state.isFinal {
                screen = view.state == .inSession ? .session(SessionScreen()) : .ticket(confirmLeave: false)
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
                    case .home, .items, .item, .identity:
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
            screen = .thanks(until: now.addingTimeInterval(settings.thanksDuration))
            notice = Notice(.success, UI.rated)
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
                if case .identity(var identity) = screen, case .lane(let check, _) = identity.step {
                    identity.step = .lane(check, selected: 0)
                    screen = .identity(identity)
                }
            case .invalidIDNumber:
                if case .identity(var identity) = screen {
                    identity.step = .entry(text: "", problem: nil)
                    screen = .identity(identity)
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
            } else {
                notice = .error(error)
            }
        }
        return []
    }
}
