import ArgumentParser
import Foundation
import WindowClient

@main
struct Kiosk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "RemoteWindow kiosk (screen A): browse the catalog, take a ticket, wait, hand over materials, rate.",
        discussion: """
            Set the device up once with `kiosk setup`, then start the full-screen interface with `kiosk run`.
            The other subcommands are for operators and scripts; each prints plain text, or JSON with --json.
            """,
        subcommands: [Setup.self, Run.self, CatalogCommand.self, ItemCommand.self, SiteCommand.self, ScreenBCommand.self, TicketCommand.self, SessionCommand.self, Upload.self, Rate.self]
    )
}

/// Options every subcommand that talks to the server shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file written by `kiosk setup` (default: $XDG_CONFIG_HOME/remotewindow/kiosk.json or ~/.config/remotewindow/kiosk.json).")
    var config: String?

    var path: String { config ?? KioskConfig.defaultPath() }

    /// The configuration and the server it names, or one bilingual line and exit status 1.
    func load(json: Bool) throws -> (config: KioskConfig, endpoint: ServerEndpoint) {
        do throws(WindowClientError) {
            let config = try KioskConfig.load(path: path)
            return (config, try config.endpoint())
        } catch {
            throw Output.fail(error, json: json)
        }
    }
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of plain text.")
    var json = false
}

/// Runs `body` with a client for the configured kiosk, shutting the client down afterwards and
/// turning any failure into one bilingual line and exit status 1.
func withKioskAPI<T>(_ options: ConfigOptions, json: Bool, _ body: (WindowAPI) async throws(WindowClientError) -> T) async throws -> T {
    let (config, endpoint) = try options.load(json: json)
    do {
        return try await WindowAPI.using(endpoint: endpoint, credential: config.credential, body)
    } catch {
        throw Output.fail(error, json: json)
    }
}
