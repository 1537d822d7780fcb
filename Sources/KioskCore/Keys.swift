/// A key the person pressed, decoded from the terminal's bytes.
public enum Key: Equatable, Sendable {
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, delete
    case function(Int)
    case character(Character)
    /// Ctrl + a letter, e.g. `.control("l")`.
    case control(Character)
}

/// Turns terminal input bytes into keys: UTF-8 text (Chinese too), arrows and other escape
/// sequences (CSI and SS3), Enter, Backspace, Tab and a lone Esc. Bytes of an incomplete
/// character or sequence wait for the next chunk; a lone ESC at the end of a chunk is the Esc key.
public struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    public mutating func decode(_ bytes: [UInt8]) -> [Key] {
        pending += bytes
        var keys: [Key] = []
        var index = 0
        let input = pending
        func remaining() -> Int { input.count - index }

        while index < input.count {
            let byte = input[index]
            switch byte {
            case 0x1B:
                if remaining() == 1 {
                    keys.append(.escape)
                    index += 1
                    continue
                }
                let next = input[index + 1]
                if next == UInt8(ascii: "[") || next == UInt8(ascii: "O") {
                    guard let (key, length) = Self.sequence(input, from: index) else {
                        // Incomplete: wait for more bytes (a sequence is at most a few bytes).
                        if remaining() < 8 {
                            pending = Array(input[index...])
                            return keys
                        }
                        index += 2
                        continue
                    }
                    if let key { keys.append(key) }
                    index += length
                } else if next == 0x1B {
                    keys.append(.escape)
                    index += 1
                } else {
                    // Alt+key: treated as Esc followed by the key.
                    keys.append(.escape)
                    index += 1
                }
            case 0x0D, 0x0A:
                keys.append(.enter)
                index += 1
                // \r\n counts once.
                if byte == 0x0D, index < input.count, input[index] == 0x0A { index += 1 }
            case 0x7F, 0x08:
                keys.append(.backspace)
                index += 1
            case 0x09:
                keys.append(.tab)
                index += 1
            case 0x01...0x1A:
                keys.append(.control(Character(Unicode.Scalar(byte + 0x60))))
                index += 1
            case 0x00, 0x1C...0x1F:
                index += 1
            default:
                let length = Self.utf8Length(byte)
                if length == 0 {
                    index += 1  // a stray continuation byte
                    continue
                }
                if remaining() < length {
                    pending = Array(input[index...])
                    return keys
                }
                let slice = Array(input[index..<index + length])
                if slice.dropFirst().allSatisfy({ $0 & 0xC0 == 0x80 }), let text = String(validating: slice, as: UTF8.self), let character = text.first {
                    keys.append(.character(character))
                }
                index += length
            }
        }
        pending = []
        return keys
    }

    static func utf8Length(_ byte: UInt8) -> Int {
        switch byte {
        case 0x20..<0x80: 1
        case 0xC2..<0xE0: 2
        case 0xE0..<0xF0: 3
        case 0xF0..<0xF5: 4
        default: 0
        }
    }

    /// The arrows, Home and End: the same final byte after `ESC [` and `ESC O`.
    static func cursorKey(_ final: UInt8) -> Key? {
        switch final {
        case UInt8(ascii: "A"): .up
        case UInt8(ascii: "B"): .down
        case UInt8(ascii: "C"): .right
        case UInt8(ascii: "D"): .left
        case UInt8(ascii: "H"): .home
        case UInt8(ascii: "F"): .end
        default: nil
        }
    }

    /// Decodes `ESC [ …` or `ESC O …` at `start`: the key (nil for one this program ignores) and
    /// the sequence's length, or nil when the sequence is not complete yet.
    static func sequence(_ input: [UInt8], from start: Int) -> (Key?, Int)? {
        let introducer = input[start + 1]
        var index = start + 2
        if introducer == UInt8(ascii: "O") {
            guard index < input.count else { return nil }
            let key: Key? = switch input[index] {
            case UInt8(ascii: "P"): .function(1)
            case UInt8(ascii: "Q"): .function(2)
            case UInt8(ascii: "R"): .function(3)
            case UInt8(ascii: "S"): .function(4)
            case UInt8(ascii: "M"): .enter
            default: cursorKey(input[index])
            }
            return (key, 3)
        }
        // CSI: parameters (digits and ;) then one final byte in 0x40...0x7E.
        var parameters = ""
        while index < input.count {
            let byte = input[index]
            if (0x30...0x3F).contains(byte) {
                parameters.append(Character(Unicode.Scalar(byte)))
                index += 1
                continue
            }
            if (0x20...0x2F).contains(byte) {
                index += 1
                continue
            }
            let length = index - start + 1
            let first = Int(parameters.split(separator: ";").first ?? "") ?? 0
            let key: Key? = switch byte {
            case UInt8(ascii: "Z"): .tab
            case UInt8(ascii: "~"):
                switch first {
                case 1, 7: .home
                case 3: .delete
                case 4, 8: .end
                case 5: .pageUp
                case 6: .pageDown
                case 11...15: .function(first - 10)
                case 17...21: .function(first - 11)
                case 23, 24: .function(first - 12)
                default: nil
                }
            default: cursorKey(byte)
            }
            return (key, length)
        }
        return nil
    }
}
