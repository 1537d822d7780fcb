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

    static func validatePassword(_ password: String) throws(APIError) {
        guard (10...128).contains(password.count) else {
            throw APIError.badRequest(code: .weakPassword, "密码至少10位 / password must have at least 10 characters")
        }
    }

    static func validateDisplayName(_ name: String, code: APIErrorCode) throws(APIError) -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else { throw APIError.badRequest(code: code, "显示名称必填 / display name required") }
        return name
    }
}
