import ArgumentParser
import Foundation
import WindowClient
import WindowCore
import KioskCore

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the categories and items (all, one category, or a search)."
    )

    @Option(name: .long, help: "Only the items of this category code (e.g. residence).")
    var category: String?

    @Option(name: .long, help: "Only items whose code or name (Chinese or English) contains this text.")
    var search: String?

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let (categories, items) = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in
            (try await api.categories(), try await api.items(category: category, query: search))
        }
        if output.json {
            struct Listing: Encodable { var categories: [WindowCore.Category]; var items: [CatalogItemView] }
            Output.json(Listing(categories: categories, items: items))
            return
        }
        for category in categories {
            let members = items.filter { $0.item.category == category.code }
            if members.isEmpty && (self.category != nil || search != nil) { continue }
            Output.line("\(category.letter)  \(category.code)  \(category.name.zh) / \(category.name.en)")
            for view in members {
                let item = view.item
                let flags = (item.onTheSpot ? "on the spot, " : "") + "\(item.expectedMinutes) min" + (item.status == .active ? "" : ", \(item.status.rawValue)")
                Output.line("   \(item.code)  \(item.name.zh) / \(item.name.en)  (\(flags))")
            }
        }
        if items.isEmpty { Output.line("没有找到相关事项 / no items found") }
    }
}

struct ItemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "item",
        abstract: "Show one item's guide: materials, conditions, fee, expected time."
    )

    @Argument(help: "The item code, e.g. JZZ-001.")
    var code: String

    @Option(name: .long, help: "Language of the guide: zh, en, or both.")
    var lang: String = "both"

    @Option(name: .long, help: "Wrap the text at this many columns.")
    var width: Int = 100

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ["zh", "en", "both"].contains(lang) else { throw ValidationError("--lang must be zh, en or both") }
        guard (40...400).contains(width) else { throw ValidationError("--width must be 40–400") }
    }

    func run() async throws {
        let view = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in
            try await api.item(code: code)
        }
        if output.json {
            Output.json(view)
            return
        }
        let languages: [Language] = lang == "zh" ? [.zh] : lang == "en" ? [.en] : [.zh, .en]
        for (index, language) in languages.enumerated() {
            if index > 0 { Output.line("") }
            for line in Renderer.guideLines(view.item, width: width, language: language) {
                Output.line(line.plain.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
        }
    }
}

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Show this kiosk's site, its service hours and whether the window is open now."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let site = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in try await api.kioskSite() }
        if output.json {
            Output.json(site)
            return
        }
        Output.line("\(site.name.zh) / \(site.name.en) (\(site.code))")
        Output.line("服务时间 / hours: \(Format.hours(site.hours, language: .zh)) / \(Format.hours(site.hours, language: .en))")
        if site.openNow {
            Output.line("开放中 / open now")
        } else {
            Output.line("当前不在服务时间 / closed now" + (site.nextOpening.map { "; 下次开放 / next opening \(Format.dateTime($0)) (UTC+8)" } ?? ""))
        }
    }
}
