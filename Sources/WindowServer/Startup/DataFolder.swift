import Foundation
import WindowFiles
import WindowStore

/// The data folder and the keys beside it, made private on every start.
enum DataFolder {
    /// Creates the data folder (0700) and tightens what is in it: folders 0700, files 0600, so
    /// other local users can read neither the database nor the scans, whatever the folder was.
    static func prepare(_ settings: ServerSettings) throws {
        umask(0o077)  // files SQLite and we create from now on are the owner's alone
        let data = settings.dataDirectory
        do {
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError(description: "cannot create data folder \(data.path): \(error.localizedDescription)")
        }
        try tighten(data)
        try prepareKeys(settings)
    }

    static func tighten(_ folder: URL) throws {
        chmod(folder.path, 0o700)
        guard let entries = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey]) else { return }
        for case let url as URL in entries {
            let values = try url.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
            if values.isSymbolicLink == true { continue }
            chmod(url.path, values.isDirectory == true ? 0o700 : 0o600)
        }
    }

    /// The keys live outside the data folder: refused inside it; a key the first release kept in
    /// `DATA/secrets/` moves out (so stored hashes keep matching) and the old folder goes.
    static func prepareKeys(_ settings: ServerSettings) throws {
        let keys = settings.keysDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        let data = settings.dataDirectory.standardizedFileURL.resolvingSymlinksInPath().path
        if keys == data || keys.hasPrefix(data + "/") {
            throw StartupError(description: "密钥目录不能在数据目录内 / the secrets folder \(keys) must not be inside the data folder \(data): a copy of the data folder would reveal ID numbers")
        }
        try FileManager.default.createDirectory(at: settings.keysDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try tighten(settings.keysDirectory)
        let legacy = settings.legacyIDNumberKeyPath
        if FileManager.default.fileExists(atPath: legacy) {
            if !FileManager.default.fileExists(atPath: settings.idNumberKeyPath), let key = FileManager.default.contents(atPath: legacy) {
                try PrivateFile.write(key, to: settings.idNumberKeyPath)
            }
            try FileManager.default.removeItem(atPath: URL(fileURLWithPath: legacy).deletingLastPathComponent().path)
        }
    }

    /// TOTP secrets stored before they were sealed are sealed now.
    static func sealTOTPSecrets(_ database: AppDatabase, box: SecretBox) throws -> Int {
        var sealed = 0
        for account in try database.accountsWithTOTPSecret() where !SecretBox.isSealed(account.totpSecret!) {
            try database.setTOTP(accountID: account.id!, secret: try box.seal(account.totpSecret!), enabled: account.totpEnabled)
            sealed += 1
        }
        return sealed
    }
}
