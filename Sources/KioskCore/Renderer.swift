import Foundation
import WindowClient
import WindowCore

/// How a piece of text is shown.
public enum Tone: Sendable, Equatable {
    case plain, bold, dim, inverse, selected, header, red, green, yellow, cyan, banner

    var sgr: String {
        switch self {
        case .plain: ""
        case .bold: "\u{1B}[1m"
        case .dim: "\u{1B}[2m"
        case .inverse: "\u{1B}[7m"
        case .selected: "\u{1B}[1;7m"
        case .header: "\u{1B}[1;37;44m"
        case .red: "\u{1B}[1;31m"
        case .green: "\u{1B}[1;32m"
        case .yellow: "\u{1B}[1;33m"
        case .cyan: "\u{1B}[36m"
        case .banner: "\u{1B}[1;30;43m"
        }
    }
}

/// One screen row: pieces of text with their tones, and the tone its padding takes.
public struct StyledLine: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var text: String
        public var tone: Tone
    }

    public var segments: [Segment]
    public var fill: Tone

    public init(_ segments: [Segment] = [], fill: Tone = .plain) {
        self.segments = segments
        self.fill = fill
    }

    public init(_ text: String, _ tone: Tone = .plain, fill: Tone = .plain) {
        self.init([Segment(text: text, tone: tone)], fill: fill)
    }

    public static let empty = StyledLine()

    public var plain: String { segments.map(\.text).joined() }
    public var width: Int { TextLayout.width(plain) }

    mutating func add(_ text: String, _ tone: Tone = .plain) {
        segments.append(Segment(text: text, tone: tone))
    }

    /// Exactly `columns` wide: cut or padded with the fill tone.
    public func fitted(to columns: Int) -> StyledLine {
        var result = StyledLine(fill: fill)
        var used = 0
        for segment in segments {
            let room = columns - used
            if room <= 0 { break }
            let cut = TextLayout.truncate(segment.text, to: room)
            if !cut.isEmpty { result.segments.append(Segment(text: cut, tone: segment.tone)) }
            used += TextLayout.width(cut)
            if TextLayout.width(segment.text) > room { break }
        }
        if used < columns { result.segments.append(Segment(text: String(repeating: " ", count: columns - used), tone: fill)) }
        return result
    }

    /// With terminal colour codes, ending with a reset.
    public var ansi: String {
        var text = ""
        for segment in segments {
            text += "\u{1B}[0m" + segment.tone.sgr + segment.text
        }
        return text + "\u{1B}[0m"
    }
}

/// Draws a state as rows of text for a terminal of a given size. Pure: same state, same rows.
public enum Renderer {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    /// Rows between the title block (3) and the status and key lines (3).
    public static func bodyHeight(_ height: Int) -> Int { max(1, height - 6) }

    public static func render(_ state: KioskState) -> [StyledLine] {
        render(state, width: state.width, height: state.height)
    }

    public static func render(_ state: KioskState, width: Int, height: Int) -> [StyledLine] {
        guard width >= minimumWidth, height >= minimumHeight else {
            let text = "\(UI.tooSmall.zh) / \(UI.tooSmall.en) (\(width)x\(height) < \(minimumWidth)x\(minimumHeight))"
            return [StyledLine(text, .red).fitted(to: max(1, width))] + Array(repeating: StyledLine.empty.fitted(to: max(1, width)), count: max(0, height - 1))
        }
        let language = state.language
        var rows: [StyledLine] = []
        rows.append(header(state, width: width))
        rows.append(titleLine(state, width: width))
        rows.append(StyledLine(String(repeating: "─", count: width), .dim))

        let available = bodyHeight(height)
        var body = self.body(state, width: width, height: available)
        if body.count > available { body = Array(body.prefix(available)) }
        while body.count < available { body.append(.empty) }
        rows += body

        rows.append(statusLine(state, width: width))
        rows.append(StyledLine(String(repeating: "─", count: width), .dim))
        rows.append(footer(state, language: language, width: width))
        return rows.map { $0.fitted(to: width) }
    }

    // MARK: Frame

    static func header(_ state: KioskState, width: Int) -> StyledLine {
        let language = state.language
        var left = " " + UI.brand.text(language)
        if let site = state.site { left += "  |  " + site.name.text(language) }
        let status: LocalizedText
        switch state.connection {
        case .online: status = UI.online
        case .connecting: status = UI.connecting
        case .reconnecting: status = UI.offline
        }
        let right = "[\(status.text(language))]  \(Format.clock(state.now)) "
        let room = width - TextLayout.width(right) - 1
        let leftText = TextLayout.ellipsize(left, to: max(0, room))
        var line = StyledLine(fill: .header)
        line.add(leftText, .header)
        line.add(String(repeating: " ", count: max(1, width - TextLayout.width(leftText) - TextLayout.width(right))), .header)
        if case .online = state.connection {
            line.add(right, .header)
        } else {
            line.add(right, .banner)
        }
        return line
    }

    static func title(_ screen: Screen) -> LocalizedText {
        switch screen {
        case .home: UI.homeTitle
        case .items: UI.itemsTitle
        case .item: UI.itemTitle
        case .identity: UI.identityTitle
        case .ticket: UI.ticketTitle
        case .session: UI.sessionTitle
        case .result: UI.resultTitle
        case .rating: UI.ratingTitle
        case .thanks: UI.thanksTitle
        }
    }

    static func titleLine(_ state: KioskState, width: Int) -> StyledLine {
        let title = title(state.screen)
        var line = StyledLine()
        line.add(" " + title.zh, .bold)
        line.add("  " + title.en, .cyan)
        return line
    }

    static func statusLine(_ state: KioskState, width: Int) -> StyledLine {
        let language = state.language
        if let busy = state.busy {
            return StyledLine(" " + busy.text.text(language), .yellow)
        }
        if let countdown = state.idleCountdown {
            return StyledLine(" " + UI.format(UI.idleWarning, countdown).text(language), .yellow)
        }
        if let notice = state.notice {
            let (mark, tone): (String, Tone) = switch notice.kind {
            case .error: ("✗ ", .red)
            case .success: ("✓ ", .green)
            case .info: ("> ", .yellow)
            }
            return StyledLine(" " + mark + TextLayout.ellipsize(notice.text.text(language), to: width - 4), tone)
        }
        return .empty
    }

    static func footer(_ state: KioskState, language: Language, width: Int) -> StyledLine {
        let keys: LocalizedText
        switch state.screen {
        case .home(let home): keys = home.focus == .search ? UI.keysHomeSearch : UI.keysHomeList
        case .items: keys = UI.keysList
        case .item: keys = UI.keysItem
        case .identity(let identity):
            if case .entry = identity.step { keys = UI.keysIDEntry } else { keys = UI.keysLane }
        case .ticket(let confirm): keys = confirm ? UI.keysConfirm : UI.keysTicket
        case .session(let session):
            switch session.mode {
            case .overview: keys = UI.keysSession
            case .pickFile: keys = UI.keysPick
            case .pickName(_, _, let custom): keys = custom == nil ? UI.keysPick : UI.keysText
            }
        case .result: keys = UI.keysResult
        case .rating(let rating): keys = rating.editingComment ? UI.keysComment : UI.keysRating
        case .thanks: keys = UI.keysThanks
        }
        let toggle = (state.isTypingText ? "F2 " : "L ") + (language == .zh ? "English" : "中文")
        var line = StyledLine()
        let left = " " + keys.text(language)
        let room = width - TextLayout.width(toggle) - 3
        let leftText = TextLayout.ellipsize(left, to: max(0, room))
        line.add(leftText, .bold)
        line.add(String(repeating: " ", count: max(1, width - TextLayout.width(leftText) - TextLayout.width(toggle) - 2)))
        line.add(" " + toggle + " ", .inverse)
        return line
    }

    // MARK: Body

    static func body(_ state: KioskState, width: Int, height: Int) -> [StyledLine] {
        switch state.screen {
        case .home(let home): homeBody(state, home, width: width, height: height)
        case .items(let list): itemsBody(state, list, width: width, height: height)
        case .item(let guide): itemBody(state, guide, width: width, height: height)
        case .identity(let identity): identityBody(state, identity, width: width)
        case .ticket(let confirm): ticketBody(state, confirmLeave: confirm, width: width)
        case .session(let session): sessionBody(state, session, width: width, height: height)
        case .result: resultBody(state, width: width)
        case .rating(let rating): ratingBody(state, rating, width: width)
        case .thanks: [.empty, .empty, StyledLine("   " + UI.thanks.text(state.language), .green)]
        }
    }

    static func wrapped(_ text: String, width: Int, indent: Int = 1, tone: Tone = .plain) -> [StyledLine] {
        let pad = String(repeating: " ", count: indent)
        return TextLayout.wrap(text, width: max(10, width - indent - 1)).map { StyledLine(pad + $0, tone) }
    }

    /// A numbered row, highlighted when selected.
    static func row(
        _ number: Int?, _ text: String, selected: Bool, width: Int, trailing: String = "", trailingTone: Tone = .dim,
        trailingColumn: Int = 0, marker chosen: String = " > "
    ) -> StyledLine {
        var line = StyledLine()
        let marker = selected ? chosen : "   "
        let label = number.map { String(format: "%2d  ", $0) } ?? "    "
        let trailing = trailingColumn > 0 ? TextLayout.pad(trailing, to: trailingColumn) : trailing
        let trailingWidth = trailing.isEmpty ? 0 : TextLayout.width(trailing) + 2
        let room = width - 3 - TextLayout.width(label) - trailingWidth - 1
        let main = TextLayout.pad(TextLayout.ellipsize(text, to: max(4, room)), to: max(4, room))
        line.add(marker, selected ? .bold : .plain)
        line.add(label + main, selected ? .selected : .plain)
        if !trailing.isEmpty { line.add("  " + trailing, trailingTone) }
        return line
    }

    /// The rows of a list around the selection, at most `height` of them.
    static func window(count: Int, selected: Int, height: Int) -> Range<Int> {
        guard count > height else { return 0..<count }
        let start = min(max(0, selected - height / 2), count - height)
        return start..<(start + height)
    }

    static func homeBody(_ state: KioskState, _ home: HomeScreen, width: Int, height: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        if let site = state.site {
            lines.append(StyledLine(" " + site.name.text(language), .bold))
            lines.append(StyledLine(" " + UI.hoursLabel.text(language) + Format.hours(site.hours, language: language)))
            if site.openNow {
                lines.append(StyledLine(" [OPEN] " + UI.openNow.text(language), .green))
            } else {
                var text = " [CLOSED] " + UI.closedNow.text(language)
                if let next = site.nextOpening { text += (language == .zh ? "，" : ", ") + UI.nextOpening.text(language) + Format.dateTime(next) }
                lines.append(StyledLine(text, .yellow))
            }
        } else {
            lines.append(StyledLine(" " + UI.loading.text(language), .dim))
            lines.append(.empty)
            lines.append(.empty)
        }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.searchLabel.text(language), .bold))
        let fieldWidth = min(60, width - 6)
        var field = StyledLine()
        field.add("  ")
        if home.focus == .search {
            field.add("[" + TextLayout.pad(home.query + "_", to: fieldWidth) + "]", .selected)
        } else if home.query.isEmpty {
            field.add("[" + TextLayout.pad(UI.searchPlaceholder.text(language) + "  (/)", to: fieldWidth) + "]", .dim)
        } else {
            field.add("[" + TextLayout.pad(home.query, to: fieldWidth) + "]")
        }
        lines.append(field)
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.categoriesLabel.text(language), .bold))
        if state.categories.isEmpty {
            lines.append(StyledLine("   " + UI.loading.text(language), .dim))
            return lines
        }
        let selected: Int? = if case .category(let index) = home.focus { index } else { nil }
        let room = max(1, height - lines.count)
        for index in window(count: state.categories.count, selected: selected ?? 0, height: room) {
            let category = state.categories[index]
            lines.append(row(index + 1, category.name.text(language), selected: selected == index, width: min(width, 64)))
        }
        return lines
    }

    static func itemsBody(_ state: KioskState, _ list: ItemsScreen, width: Int, height: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        let heading: String
        switch list.source {
        case .category(let category): heading = (language == .zh ? "类别：" : "Category: ") + category.name.text(language)
        case .search(let query): heading = (language == .zh ? "搜索：“\(query)”" : "Search: \"\(query)\"")
        }
        var top = StyledLine(" " + heading, .bold)
        if let items = list.items { top.add(language == .zh ? "   共 \(items.count) 项" : "   \(items.count) item(s)", .dim) }
        lines.append(top)
        lines.append(.empty)
        guard let items = list.items else {
            lines.append(StyledLine("   " + UI.loading.text(language), .dim))
            return lines
        }
        if items.isEmpty {
            lines += wrapped(UI.noItems.text(language), width: width, indent: 3, tone: .yellow)
            return lines
        }
        let room = max(1, height - lines.count - 1)
        let visible = window(count: items.count, selected: list.selected, height: room)
        func trailing(_ item: CatalogItem) -> String {
            let minutes = TextLayout.pad(language == .zh ? "约\(item.expectedMinutes)分钟" : "~\(item.expectedMinutes) min", to: 9)
            let spot = item.onTheSpot ? UI.onTheSpotShort.text(language) : ""
            return minutes + " " + spot
        }
        let column = visible.map { TextLayout.width(trailing(items[$0])) }.max() ?? 0
        let codeWidth = visible.map { items[$0].code.count }.max() ?? 7
        for index in visible {
            let item = items[index]
            let text = TextLayout.pad(item.code, to: codeWidth) + "  " + item.name.text(language)
            lines.append(row(index + 1, text, selected: index == list.selected, width: width, trailing: trailing(item), trailingColumn: column))
        }
        if !list.numberBuffer.isEmpty {
            lines.append(StyledLine(" " + (language == .zh ? "编号：" : "Number: ") + list.numberBuffer + "_  (Enter)", .yellow))
        } else if items.count > room {
            lines.append(StyledLine(" ↑↓ \(list.selected + 1)/\(items.count)", .dim))
        }
        return lines
    }

    /// The guide of an item as rows of `width`, for scrolling.
    public static func guideLines(_ item: CatalogItem, width: Int, language: Language) -> [StyledLine] {
        var lines: [StyledLine] = []
        var title = StyledLine(" " + item.name.text(language), .bold)
        title.add("  " + item.code, .cyan)
        if language == .zh { title.add("  " + item.name.en, .dim) }
        lines.append(title)
        let facts = [
            UI.departmentLabel.text(language) + item.department.text(language),
            (item.onTheSpot ? UI.onTheSpot : UI.notOnTheSpot).text(language),
            UI.timeLabel.text(language) + "\(item.expectedMinutes)" + UI.minutesSuffix.text(language),
            UI.feeLabel.text(language) + Format.fee(item.fee, language: language),
        ]
        lines += wrapped(facts.joined(separator: "  |  "), width: width)
        if item.status != .active { lines.append(StyledLine(" " + UI.itemSuspended.text(language), .red)) }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.materialsLabel.text(language), .bold))
        if item.materials.isEmpty {
            lines.append(StyledLine("   " + UI.noMaterials.text(language)))
        }
        for (index, material) in item.materials.enumerated() {
            let form = (material.form == .original ? UI.original : UI.copy).text(language)
            let need = (material.required ? UI.required : UI.optional).text(language)
            let tag = "[\(form)/\(need)] "
            let prefix = String(format: "  %d. ", index + 1)
            let indent = TextLayout.width(prefix)
            let text = TextLayout.wrap(tag + material.name.text(language), width: max(10, width - indent - 1))
            for (row, part) in text.enumerated() {
                var line = StyledLine(row == 0 ? prefix : String(repeating: " ", count: indent))
                if row == 0, part.hasPrefix(tag) {
                    line.add(tag, material.required ? .yellow : .dim)
                    line.add(String(part.dropFirst(tag.count)))
                } else {
                    line.add(part)
                }
                lines.append(line)
            }
        }
        for (label, text) in [(UI.conditionsLabel, item.conditions), (UI.guideLabel, item.guide), (UI.legalLabel, item.legalBasis)] {
            lines.append(.empty)
            lines.append(StyledLine(" " + label.text(language), .bold))
            lines += wrapped(text.text(language), width: width, indent: 3)
        }
        if let url = item.guideURL {
            lines += wrapped(url, width: width, indent: 3, tone: .cyan)
        }
        return lines
    }

    static func itemBody(_ state: KioskState, _ guide: ItemScreen, width: Int, height: Int) -> [StyledLine] {
        guard let item = guide.item else { return [StyledLine("   " + UI.loading.text(state.language), .dim)] }
        let all = guideLines(item, width: width, language: state.language)
        guard all.count > height else { return all }
        let scroll = min(guide.scroll, all.count - (height - 1))
        var visible = Array(all.dropFirst(scroll).prefix(height - 1))
        let more = scroll + visible.count < all.count
        let indicator = (more ? "↓ " : "  ") + (scroll > 0 ? "↑ " : "  ")
            + (state.language == .zh ? "（↑↓ 翻阅 \(min(all.count, scroll + visible.count))/\(all.count) 行）" : "(↑↓ scroll, line \(min(all.count, scroll + visible.count)) of \(all.count))")
        visible.append(StyledLine(" " + indicator, .dim))
        return visible
    }

    static func identityBody(_ state: KioskState, _ identity: IdentityScreen, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        var itemLine = StyledLine(" " + identity.item.name.text(language), .bold)
        itemLine.add("  " + identity.item.code, .cyan)
        lines.append(itemLine)
        lines.append(.empty)
        switch identity.step {
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

    static func reconnectBanner(_ state: KioskState, width: Int) -> [StyledLine] {
        guard case .reconnecting(let since) = state.connection else { return [] }
        let language = state.language
        let seconds = max(0, Int(state.now.timeIntervalSince(since)))
        let text: LocalizedText
        if let ticket = state.ticket, state.hasLiveTicket {
            text = UI.format(UI.reconnectingTicket, ticket.number, max(1, Int(state.settings.kioskGrace / 60)))
        } else {
            text = UI.reconnectingPlain
        }
        let full = "⟳ " + text.text(language) + "  (" + UI.format(UI.offlineFor, seconds).text(language) + ")"
        return TextLayout.wrap(full, width: width - 2).map { StyledLine(" " + $0, .banner, fill: .banner) }
    }

    static func itemName(_ state: KioskState) -> String {
        if let item = state.ticketItem { return item.name.text(state.language) + "  " + item.code }
        return state.ticket?.itemCode ?? ""
    }

    static func ticketBody(_ state: KioskState, confirmLeave: Bool, width: Int) -> [StyledLine] {
        let language = state.language
        var lines = reconnectBanner(state, width: width)
        guard let ticket = state.ticket else { return lines }
        lines.append(StyledLine(" " + UI.ticketNumber.text(language), .bold))
        var number = StyledLine("      ")
        number.add("  " + ticket.number + "  ", .selected)
        let lane: LocalizedText = switch ticket.priorityClass {
        case .priority: UI.lanePriority
        case .appointment: UI.laneAppointment
        case .normal: UI.laneNormalShort
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

    static func sessionHeader(_ state: KioskState, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        guard let ticket = state.ticket else { return lines }
        var top = StyledLine(" " + ticket.number, .selected)
        top.add("  " + itemName(state), .bold)
        lines.append(top)
        if let info = ticket.session {
            var clerk = StyledLine(" " + UI.clerkLabel.text(language))
            clerk.add(info.clerkName, .bold)
            clerk.add("      " + UI.windowLabel.text(language))
            clerk.add(info.window, .bold)
            lines.append(clerk)
            let (text, tone): (LocalizedText, Tone) = switch info.state {
            case .connecting: (UI.sessionConnecting, .yellow)
            case .active: (UI.sessionActive, .green)
            case .reconnecting: (UI.sessionReconnecting, .yellow)
            case .ended: (UI.sessionEnded, .plain)
            }
            var status = StyledLine(" " + UI.sessionStateLabel.text(language))
            status.add(text.text(language), tone)
            lines.append(status)
        }
        return lines
    }

    static func materialLines(_ state: KioskState, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = [StyledLine(" " + UI.materialsHanded.text(language), .bold)]
        if state.materials.isEmpty {
            lines += wrapped(UI.noMaterialsYet.text(language), width: width, indent: 3, tone: .dim)
        }
        for (index, material) in state.materials.enumerated() {
            let (label, tone): (LocalizedText, Tone) = switch material.status {
            case .pending: (UI.statusPending, .yellow)
            case .accepted: (UI.statusAccepted, .green)
            case .rejected: (UI.statusRejected, .red)
            }
            let mark = material.status == .accepted ? "✓ " : material.status == .rejected ? "✗ " : "  "
            var line = StyledLine(String(format: "  %d. ", index + 1))
            let kind = material.contentType.split(separator: "/").last.map { $0.uppercased() } ?? ""
            let nameWidth = max(10, min(30, width - 40))
            let name = TextLayout.pad(TextLayout.ellipsize(material.name, to: nameWidth), to: nameWidth)
            line.add(name)
            line.add("  " + TextLayout.pad("\(kind) \(Format.size(material.size))", to: 12), .dim)
            line.add(" " + mark + label.text(language), tone)
            lines.append(line)
            if material.status == .rejected, let reason = material.reason {
                lines += wrapped(UI.reasonLabel.text(language) + reason, width: width, indent: 8, tone: .red)
            }
        }
        return lines
    }

    static func sessionBody(_ state: KioskState, _ session: SessionScreen, width: Int, height: Int) -> [StyledLine] {
        let language = state.language
        var lines = reconnectBanner(state, width: width) + sessionHeader(state, width: width)
        lines.append(.empty)
        switch session.mode {
        case .overview:
            lines += materialLines(state, width: width)
        case .pickFile(let files, let selected):
            let folder = TextLayout.ellipsize(state.settings.materialsDirectory, to: max(10, width - 40))
            lines.append(StyledLine(" " + UI.format(UI.pickFile, folder).text(language), .bold))
            guard let files else {
                lines.append(StyledLine("   " + UI.loading.text(language), .dim))
                return lines
            }
            if files.isEmpty { lines.append(StyledLine("   " + UI.noFiles.text(language), .yellow)) }
            let room = max(1, height - lines.count)
            let visible = window(count: files.count, selected: selected, height: room)
            func trailing(_ file: FileEntry) -> String {
                TextLayout.pad(Format.size(file.size), to: 8) + (file.kind == nil ? " " + UI.notScan.text(language) : "")
            }
            let column = visible.map { TextLayout.width(trailing(files[$0])) }.max() ?? 0
            for index in visible {
                let file = files[index]
                lines.append(row(
                    index + 1, file.name, selected: index == selected, width: width, trailing: trailing(file),
                    trailingTone: file.kind == nil ? .red : .dim, trailingColumn: column))
            }
        case .pickName(let file, let selected, let custom):
            lines.append(StyledLine(" " + file.name + "  " + Format.size(file.size), .cyan))
            lines.append(StyledLine(" " + UI.pickName.text(language), .bold))
            let names = state.materialNames
            let room = max(1, height - lines.count - 1)
            let count = names.count + 1
            for index in window(count: count, selected: selected, height: room) {
                let text = index < names.count ? names[index].text(language) : UI.otherMaterial.text(language)
                lines.append(row(index + 1, text, selected: index == selected, width: width))
            }
            if let custom {
                var field = StyledLine("   " + UI.customName.text(language))
                field.add("[" + TextLayout.pad(custom + "_", to: min(40, width - 24)) + "]", .selected)
                lines.append(field)
            }
        }
        return lines
    }

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
        if let caseNumber {
            var caseLine = StyledLine(" " + UI.caseLabel.text(language))
            caseLine.add(caseNumber, .bold)
            lines.append(caseLine)
        }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.nextLabel.text(language), .bold))
        lines += wrapped(UI.nextSteps(outcome).text(language), width: width, indent: 3)
        if !state.materials.isEmpty {
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
