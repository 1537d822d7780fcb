import Foundation

/// Terminal text measurement: CJK characters take two columns, combining marks none.
/// Ambiguous-width symbols (↑, ─, …) count as one column, as glibc and tmux count them.
public enum TextLayout {
    /// Without control characters (C0, DEL, C1: ESC sequences, BEL, …) or Unicode bidi controls, which
    /// could move the cursor, retitle the terminal or reorder what the worker reads. `keeping`
    /// lists the controls a caller lays out itself (e.g. newline for printed lines).
    public static func printable(_ text: String, keeping: Set<Character> = []) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isControl(scalar) || keeping.contains(Character(scalar)) {
            result.append(scalar)
        }
        return String(result)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Columns one character takes in a terminal.
    public static func width(of character: Character) -> Int {
        var total = 0
        for (index, scalar) in character.unicodeScalars.enumerated() {
            let w = width(of: scalar)
            // A grapheme's later scalars (combining marks, variation selectors) add nothing.
            total = index == 0 ? w : max(total, w)
        }
        return total
    }

    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// Cuts `text` to at most `columns`, never splitting a wide character.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let w = width(of: character)
            if used + w > columns { break }
            result.append(character)
            used += w
        }
        return result
    }

    /// Cuts with `...` when too long.
    public static func ellipsize(_ text: String, to columns: Int) -> String {
        guard width(text) > columns else { return text }
        guard columns > 3 else { return truncate(text, to: columns) }
        return truncate(text, to: columns - 3) + "..."
    }

    /// Pads with spaces to exactly `columns` (cutting when longer).
    public static func pad(_ text: String, to columns: Int) -> String {
        let cut = truncate(text, to: columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }

    /// Wraps to lines of at most `columns`: English breaks at spaces, Chinese anywhere,
    /// and no line starts with closing punctuation when it can be helped.
    public static func wrap(_ text: String, width columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += wrapParagraph(String(paragraph), columns)
        }
        return lines
    }

    static let noLineStart: Set<Character> = ["，", "。", "、", "；", "：", "）", "」", "》", "！", "？", ",", ".", ";", ":", ")", "!", "?"]

    static func wrapParagraph(_ text: String, _ columns: Int) -> [String] {
        if text.isEmpty { return [""] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        // Tokens: a run of non-space ASCII-ish characters (a word), a space, or one wide character.
        var tokens: [String] = []
        var word = ""
        for character in text {
            if character == " " {
                if !word.isEmpty { tokens.append(word); word = "" }
                tokens.append(" ")
            } else if width(of: character) == 2 || noLineStart.contains(character) && !character.isASCII {
                if !word.isEmpty { tokens.append(word); word = "" }
                tokens.append(String(character))
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { tokens.append(word) }

        func flush() {
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
            line = ""
            lineWidth = 0
        }
        for token in tokens {
            let w = width(token)
            if token == " " {
                if lineWidth > 0 && lineWidth < columns { line += " "; lineWidth += 1 }
                continue
            }
            if lineWidth + w <= columns {
                line += token
                lineWidth += w
                continue
            }
            if let first = token.first, noLineStart.contains(first), lineWidth + w <= columns + 2, w <= 2 {
                // Keep closing punctuation on the line it closes, one column over at most.
                if lineWidth + w <= columns { line += token; lineWidth += w; continue }
            }
            if lineWidth > 0 { flush() }
            if w <= columns {
                line = token
                lineWidth = w
            } else {
                // A word longer than the line: hard-break it.
                var rest = Substring(token)
                while !rest.isEmpty {
                    let piece = truncate(String(rest), to: columns)
                    let taken = piece.isEmpty ? String(rest.prefix(1)) : piece
                    rest = rest.dropFirst(taken.count)
                    if rest.isEmpty {
                        line = taken
                        lineWidth = width(taken)
                    } else {
                        lines.append(taken)
                    }
                }
            }
        }
        if lineWidth > 0 || lines.isEmpty { flush() }
        return lines
    }
}
