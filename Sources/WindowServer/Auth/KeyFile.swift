import Crypto
import Foundation
import WindowFiles

/// A 256-bit key kept in a file of its own (mode 0600), made on first use.
enum KeyFile {
    static func load(path: String) throws -> Data {
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return data }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try PrivateFile.write(bytes, to: path, mode: 0o600)
        return bytes
    }
}

/// Seals TOTP secrets for the database (AES-GCM under a key kept outside the data folder), so a
/// copy of the data folder does not hold anyone's second factor.
struct SecretBox: Sendable {
    let keyBytes: Data
    static let prefix = "sealed:"

    static func load(path: String) throws -> SecretBox {
        SecretBox(keyBytes: try KeyFile.load(path: path))
    }

    func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: SymmetricKey(data: keyBytes))
        return Self.prefix + box.combined!.base64EncodedString()
    }

    /// The secret; nil when it was sealed under another key or damaged.
    func open(_ stored: String) -> String? {
        guard stored.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: SymmetricKey(data: keyBytes))
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }
}
