import Crypto
import Foundation
import WindowFiles

/// Bearer credentials: random, shown once, stored only as a SHA-256 hash.
public enum Tokens {
    public static let kioskPrefix = "rwk_"
    public static let accountPrefix = "rwa_"
    /// Screen B's cookie: the kiosk's video page, paired by a one-time code.
    public static let screenBPrefix = "rwb_"
    /// A scrape credential: reads /metrics and nothing else.
    public static let scrapePrefix = "rwm_"

    static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The console's CSRF token, derived from its session token: only someone who holds the
    /// session (or was given this value by our own pages) can produce it.
    static func csrf(for sessionToken: String) -> String {
        String(hash("csrf:" + sessionToken).prefix(43))
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}

/// Keyed hash of ID numbers: the same person matches across visits, and the number cannot be
/// recovered from the database without this installation's key.
struct IDNumberHasher: Sendable {
    /// The key's bytes (Data is Sendable; SymmetricKey is made per use).
    let keyBytes: Data

    static func load(path: String) throws -> IDNumberHasher {
        IDNumberHasher(keyBytes: try KeyFile.load(path: path))
    }

    func hash(_ number: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(number.utf8), using: SymmetricKey(data: keyBytes)).hexString
    }
}
