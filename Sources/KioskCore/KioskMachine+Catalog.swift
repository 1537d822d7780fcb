import Foundation
import WindowClient
import WindowCore

// Keys on the catalog screens: home (categories and search), a list of items, an item's guide.
extension KioskState {
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
            case .character("b"), .character("B"):
                // 补正回来: back with the materials a 补正 asked for, by its reference.
                screen = .correction(CorrectionScreen(home: home))
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
            screen = .idCard(IDCardScreen(item: item, guide: guide))
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
}
