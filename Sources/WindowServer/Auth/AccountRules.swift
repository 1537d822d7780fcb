import Foundation
import WindowAPITypes

/// What a username and a password must be, for every route that sets one.
enum AccountRules {
    static func validateUsername(_ username: String) throws(APIError) {
        guard (3...32).contains(username.count),
            username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") })
        else {
            throw APIError.badRequest(code: .invalidUsername, "用户名为3–32位字母、数字或 . - _ / username: 3–32 letters, digits, . - _")
        }
    }

    /// 10 to 72 bytes (bcrypt ignores what follows the 72nd), not trivial, not a well-known one.
    static func validatePassword(_ password: String) throws(APIError) {
        guard password.count >= 10 else {
            throw APIError.badRequest(code: .weakPassword, "密码至少10位 / password must have at least 10 characters")
        }
        guard password.utf8.count <= 72 else {
            throw APIError.badRequest(code: .weakPassword, "密码最多72字节 / password must be at most 72 bytes (bcrypt ignores the rest)")
        }
        if isTrivial(password) || commonPasswords.contains(password.lowercased()) {
            throw APIError.badRequest(code: .weakPassword, "密码过于简单或常见 / password is too simple or too common")
        }
    }

    /// One repeated character, mostly blank, or a run such as `1234567890` or `abcdefghij`.
    static func isTrivial(_ password: String) -> Bool {
        let characters = Array(password.lowercased())
        if Set(characters).count <= 2 { return true }
        if password.filter({ !$0.isWhitespace }).count < 6 { return true }
        let scalars = characters.compactMap { $0.unicodeScalars.first?.value }
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int($1) - Int($0) })
        return steps.count == 1 && (steps.first == 1 || steps.first == -1)
    }

    /// Well-known passwords of 10 or more characters (from the lists attackers try first).
    static let commonPasswords: Set<String> = [
        "1234567890", "0123456789", "12345678910", "123456789a", "1q2w3e4r5t", "1qaz2wsx3edc", "qwertyuiop", "qwerty1234",
        "qwerty123456", "asdfghjkl;", "zxcvbnm123", "password12", "password123", "password1234", "passw0rd123", "p@ssw0rd123",
        "administrator", "admin12345", "admin123456", "adminadmin", "letmein123", "iloveyou123", "welcome123", "changeme123",
        "football123", "baseball123", "sunshine123", "princess123", "starwars123", "dragon1234", "monkey12345", "abc1234567",
        "abcd123456", "a123456789", "aa12345678", "woaini1314", "woaini520", "5201314520", "1314520520", "qq123456789",
        "remotewindow", "remotewindow1", "correct horse", "trustno1234", "master12345", "shanghai123", "zhangwei123",
    ]

    static func validateDisplayName(_ name: String, code: APIErrorCode) throws(APIError) -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else { throw APIError.badRequest(code: code, "显示名称必填 / display name required") }
        return name
    }
}
