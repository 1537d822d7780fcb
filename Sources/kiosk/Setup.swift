import ArgumentParser
import Foundation
import WindowClient

struct Setup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Configure this device once: server address, kiosk credential and the CA to trust. The server is verified before anything is saved."
    )

    @Option(name: .long, help: "The server's address, https://host:port (e.g. https://localhost:8443).")
    var server: String

    @Option(name: .long, help: "The kiosk credential (rwk_…) a manager issued for this device; `-` reads it from standard input.")
    var credential: String

    @Option(name: .long, help: "PEM file of the CA that signed the server's certificate (in development: DATA/tls/ca.pem).")
    var ca: String

    @Option(name: .long, help: "Folder the document camera writes scans to; offered when uploading materials (default: the folder `kiosk run` starts in).")
    var materialsDir: String?

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var credential = credential
        if credential == "-" { credential = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) ?? "" }
        let json = output.json
        guard credential.hasPrefix("rwk_"), credential.count > 8 else {
            throw Output.fail(.invalidInput(code: "invalid_credential", "终端凭证应以 rwk_ 开头 / a kiosk credential starts with rwk_"), json: json)
        }
        let endpoint: ServerEndpoint
        let caPEM: String
        do {
            caPEM = try ServerEndpoint.readCA(path: ca)
            endpoint = try ServerEndpoint(url: server, caPEM: caPEM)
        } catch {
            throw Output.fail(error, json: json)
        }
        let site: SiteView
        do {
            site = try await WindowAPI.using(endpoint: endpoint, credential: credential) { api throws(WindowClientError) in try await api.kioskSite() }
        } catch {
            throw Output.fail(error, json: json)
        }
        let config = KioskConfig(
            server: endpoint.baseURL, credential: credential, caPEM: caPEM, caSource: URL(fileURLWithPath: ca).standardizedFileURL.path,
            materialsDirectory: materialsDir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }, savedAt: Date())
        do {
            try config.save(path: options.path)
        } catch {
            throw Output.fail(error, json: json)
        }
        if json {
            struct Saved: Encodable { var config: String; var server: String; var site: SiteView }
            Output.json(Saved(config: options.path, server: endpoint.baseURL, site: site))
        } else {
            Output.line("已验证服务器并保存配置 / server verified, configuration saved: \(options.path)")
            Output.line("站点 / site: \(site.name.zh) / \(site.name.en) (\(site.code))\(site.openNow ? "" : "  [closed now / 当前不在服务时间]")")
        }
    }
}
