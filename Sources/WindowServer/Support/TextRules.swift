import Foundation
import WindowAPITypes

/// The one rule for free text that people type (notes, reasons, comments, display names, kiosk,
/// site and material names): text that another screen or terminal will show may carry no control
/// character (C0, DEL, C1: escape sequences, NUL that truncates when stored) and no Unicode
/// bidirectional control (which reorders what a reader sees). Newline and tab are allowed only in
/// fields that hold several lines. Every handler that takes free text calls ``validate(_:field:multiline:)``.
enum TextRules {
    /// The bidirectional formatting characters: embeddings and overrides (U+202A–U+202E),
    /// isolates (U+2066–U+2069), the marks (U+200E, U+200F, U+061C).
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The first character `text` may not hold, if any.
    static func firstRefused(in text: String, multiline: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            if multiline, scalar == "\n" || scalar == "\t" { return false }
            return isControl(scalar) || isBidiControl(scalar)
        }
    }

    /// Refuses text with a character it may not hold: 400 `invalid_text`, naming the field and the character.
    static func validate(_ text: String, field: String, multiline: Bool = false) throws(APIError) {
        guard let scalar = firstRefused(in: text, multiline: multiline) else { return }
        let code = String(format: "U+%04X", scalar.value)
        let message = multiline
            ? "\(field) 含不允许的字符 \(code)（控制字符或双向控制符；只允许换行和制表符） / \(field) holds \(code), a control or bidirectional character (only newline and tab are allowed)"
            : "\(field) 含不允许的字符 \(code)（控制字符或双向控制符；单行） / \(field) holds \(code), a control or bidirectional character (one line: none is allowed)"
        throw APIError.badRequest(code: .invalidText, message)
    }

    /// The same for an optional field.
    static func validate(_ text: String?, field: String, multiline: Bool = false) throws(APIError) {
        if let text { try validate(text, field: field, multiline: multiline) }
    }

    /// A required one-line name (a kiosk's, a material's, a scrape credential's): refused characters
    /// named, spaces trimmed, 1 to 64 characters, else `code` with `message`.
    static func name(_ text: String?, code: APIErrorCode, message: String) throws(APIError) -> String {
        try validate(text, field: "name")
        let name = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else { throw APIError.badRequest(code: code, message) }
        return name
    }
}
