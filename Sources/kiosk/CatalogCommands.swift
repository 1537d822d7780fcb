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
                let flags = (item.handlingType == .immediate ? "on the spot, " : "accepted, result within \(item.promisedTimeLimit.days) days, ") + "\(item.expectedMinutes) min" + (item.status == .active ? "" : ", \(item.status.rawValue)")
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

struct ScreenBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen-b",
        abstract: "Print a one-time link that pairs this kiosk's screen B (the video page); --open opens it.",
        discussion: """
            The link is valid for 5 minutes and once; it carries no long-lived credential. Opening it on
            the kiosk's second screen pairs that browser with this kiosk (a new pairing replaces the old
            one). Revoking the kiosk ends screen B's access at once.
            """
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Open the link in chromium (kiosk mode) or the desktop's browser.")
    var open = false

    func run() async throws {
        let pairing = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in try await api.screenBPairing() }
        if output.json {
            Output.json(pairing)
        } else {
            Output.line("屏幕 B 配对链接（\(Format.dateTime(pairing.expiresAt)) 前有效，仅可使用一次）/ Screen B pairing link (valid once, until \(Format.dateTime(pairing.expiresAt)) UTC+8):")
            Output.line(pairing.url)
        }
        if open { try Self.openInBrowser(pairing.url) }
    }

    /// Chromium in kiosk mode when it is installed (a kiosk's second screen), else the desktop's opener.
    static func openInBrowser(_ url: String) throws {
        let candidates: [(String, [String])] = [
            ("chromium", ["--kiosk", "--autoplay-policy=no-user-gesture-required", url]), ("xdg-open", [url]),
        ]
        for (name, arguments) in candidates {
            guard let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ "\($0)/\(name)" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            try process.run()
            return
        }
        Output.line("未找到浏览器，请手动打开上面的链接 / no browser found: open the link above by hand")
    }
}
