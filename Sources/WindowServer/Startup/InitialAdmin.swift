import Foundation
import WindowFiles
import HummingbirdBcrypt
import Logging
import WindowStore

/// The first `admin` account, with a random password written once to
/// `DATA/initial-admin-password` (mode 0600). There is no default password anywhere.
enum InitialAdmin {
    struct Created: Sendable {
        var username: String
        var password: String
        var passwordFile: String
    }

    static func ensure(database: AppDatabase, passwordFile: String, cost: UInt8, logger: Logger) throws -> Created? {
        if try database.hasAdmin() { return nil }
        let password = randomPassword()
        let hash = Bcrypt.hash(password, cost: cost)
        try PrivateFile.write(Data((password + "\n").utf8), to: passwordFile, mode: 0o600)
        guard let account = try database.createInitialAdmin(passwordHash: hash) else {
            // Another start won the race; its file is the right one.
            return nil
        }
        logger.notice("created initial admin account", metadata: ["account.username": "\(account.username)", "file": "\(passwordFile)"])
        return Created(username: account.username, password: password, passwordFile: passwordFile)
    }

    /// 20 characters from an alphabet without look-alikes (0/O, 1/l/I): about 115 bits.
    static func randomPassword(length: Int = 20) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
