import Foundation
import WindowClient
import WindowCore

// The catalog screens: home, a list of items, an item's guide.
extension Renderer {
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
        // 补正回来: back with the materials a 补正 asked for.
        lines.append(StyledLine(" [B] " + UI.homeReturn.text(language), .cyan))
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
            let spot = item.handlingType == .immediate ? UI.onTheSpotShort.text(language) : Format.timeLimit(item.promisedTimeLimit, language: language)
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
            UI.timeLabel.text(language) + "\(item.expectedMinutes)" + UI.minutesSuffix.text(language),
            UI.feeLabel.text(language) + Format.fee(item.fee, language: language),
        ]
        lines += wrapped(facts.joined(separator: "  |  "), width: width)
        // Before taking a ticket the worker learns whether the result comes now or later, and how.
        lines += wrapped(Format.handling(item, language: language), width: width, indent: 1, tone: item.handlingType == .immediate ? .green : .yellow)
        switch item.status {
        case .active: break
        case .suspended: lines.append(StyledLine(" " + UI.itemSuspended.text(language), .red))
        case .retired: lines.append(StyledLine(" " + UI.itemRetired.text(language), .red))
        }
        lines.append(.empty)
        lines.append(StyledLine(" " + UI.materialsLabel.text(language), .bold))
        if item.materials.isEmpty {
            lines.append(StyledLine("   " + UI.noMaterials.text(language)))
        }
        for (index, material) in item.materials.enumerated() {
            let form = (material.form == .original ? UI.original : UI.copy).text(language)
            // 免提交: obtained by data sharing, nothing to bring.
            let need = (material.source == .dataSharing ? UI.dataSharing : material.required ? UI.required : UI.optional).text(language)
            let tag = "[\(form)/\(need)] "
            let prefix = String(format: "  %d. ", index + 1)
            let indent = TextLayout.width(prefix)
            let text = TextLayout.wrap(tag + material.name.text(language), width: max(10, width - indent - 1))
            for (row, part) in text.enumerated() {
                var line = StyledLine(row == 0 ? prefix : String(repeating: " ", count: indent))
                if row == 0, part.hasPrefix(tag) {
                    line.add(tag, material.mustBring ? .yellow : .dim)
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
        if !item.faq.isEmpty {
            lines.append(.empty)
            lines.append(StyledLine(" " + UI.faqLabel.text(language), .bold))
            for entry in item.faq {
                lines += wrapped("问 / Q: " + entry.question.text(language), width: width, indent: 3)
                lines += wrapped("答 / A: " + entry.answer.text(language), width: width, indent: 3, tone: .dim)
            }
        }
        lines.append(.empty)
        lines += wrapped(UI.phonesLabel.text(language) + item.consultPhone + "  |  " + UI.complaintLabel.text(language) + item.complaintPhone, width: width, indent: 1, tone: .dim)
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
}
