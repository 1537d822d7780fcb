import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, kept off the request threads: it is slow on purpose.
enum Passwords {
    static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: InitialAdmin.bcryptCost) }
    }

    /// Checked when the account does not exist, so a missing name takes as long as a wrong password.
    static let dummyHash = Bcrypt.hash("not-a-real-password", cost: InitialAdmin.bcryptCost)
}
