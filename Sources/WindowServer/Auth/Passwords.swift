import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt at the server's cost, kept off the request threads: it is slow on purpose.
struct Passwords: Sendable {
    let cost: UInt8
    /// Checked when the account does not exist, so a missing name takes as long as a wrong password.
    let dummyHash: String

    init(cost: UInt8) {
        self.cost = cost
        dummyHash = Bcrypt.hash("not-a-real-password", cost: cost)
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}
