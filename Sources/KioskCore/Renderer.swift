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

        /// Text from the network may hold terminal escape codes: they are dropped here, before any is drawn.
        public init(text: String, tone: Tone) {
            self.text = TextLayout.printable(text)
            self.tone = tone
        }
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
        case .idCard: UI.idCardTitle
        case .correction: UI.correctionTitle
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
        case .idCard(let idCard):
            if case .entry = idCard.step { keys = UI.keysIDEntry } else { keys = UI.keysLane }
        case .correction(let correction):
            if case .entry = correction.step { keys = UI.keysReference } else { keys = UI.keysCorrection }
        case .ticket(let confirm): keys = confirm ? UI.keysConfirm : UI.keysTicket
        case .session(let session):
            switch session.mode {
            case .overview: keys = UI.keysSession
            case .pickFile: keys = UI.keysPick
            case .pickName(_, _, let custom): keys = custom == nil ? UI.keysPick : UI.keysText
            }
        case .result: keys = UI.keysResult
        case .rating(let rating): keys = rating.askingPhone ? UI.keysPhone : rating.editingComment ? UI.keysComment : UI.keysRating
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
        case .idCard(let idCard): idCardBody(state, idCard, width: width)
        case .correction(let correction): correctionBody(state, correction, width: width)
        case .ticket(let confirm): ticketBody(state, confirmLeave: confirm, width: width)
        case .session(let session): sessionBody(state, session, width: width, height: height)
        case .result: resultBody(state, width: width)
        case .rating(let rating): ratingBody(state, rating, width: width)
        case .thanks: thanksBody(state, width: width)
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
}
