import Foundation
import WindowClient

/// The device's configuration, written once by `kiosk setup`: the server, the kiosk's credential
/// and the CA to trust (its PEM is kept in the file, so the kiosk does not depend on the path it came from).
struct KioskConfig: Codable, Equatable {
    var server: String
    var credential: String
    var caPEM: String
    /// Where the CA was read from at setup, for people reading the file.
    var caSource: String?
    /// The document camera's output folder, offered when uploading materials.
    var materialsDirectory: String?
    var savedAt: Date?

    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return xdg + "/remotewindow/kiosk.json"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/remotewindow/kiosk.json"
    }

    static func load(path: String) throws(WindowClientError) -> KioskConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .invalidInput(code: "not_configured", "本机尚未配置，请先运行 kiosk setup / this kiosk is not set up yet: run `kiosk setup` first (no \(path))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidInput(code: "invalid_config", "无法读取配置文件 / cannot read the configuration file \(path)")
        }
        do {
            return try JSONDecoder.windowClient.decode(KioskConfig.self, from: data)
        } catch {
            throw .invalidInput(code: "invalid_config", "配置文件已损坏，请重新运行 kiosk setup / the configuration file is damaged; run `kiosk setup` again (\(path))")
        }
    }

    /// Writes the file with mode 0600 (its folder 0700), replacing any earlier one atomically.
    func save(path: String) throws(WindowClientError) {
        do {
            try PrivateFile.write(try JSONEncoder.windowClient.encode(self), to: path)
        } catch {
            throw .invalidInput(code: "config_not_saved", "无法保存配置文件 / cannot save the configuration to \(path): \(error.localizedDescription)")
        }
    }

    func endpoint() throws(WindowClientError) -> ServerEndpoint {
        try ServerEndpoint(url: server, caPEM: caPEM)
    }
}
