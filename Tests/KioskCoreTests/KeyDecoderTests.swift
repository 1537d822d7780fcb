import Testing

@testable import KioskCore

@Suite("Terminal bytes to keys")
struct KeyDecoderTests {
    func keys(_ chunks: [UInt8]...) -> [Key] {
        var decoder = KeyDecoder()
        return chunks.flatMap { decoder.decode($0) }
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("arrows in both CSI and SS3 forms")
    func arrows() {
        #expect(keys(bytes("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D")) == [.up, .down, .right, .left])
        #expect(keys(bytes("\u{1B}OA\u{1B}OB")) == [.up, .down])
    }

    @Test("Enter, Backspace, Tab, a lone Esc, Ctrl-C")
    func controls() {
        #expect(keys([0x0D]) == [.enter])
        #expect(keys([0x0D, 0x0A]) == [.enter])
        #expect(keys([0x0A]) == [.enter])
        #expect(keys([0x7F, 0x08]) == [.backspace, .backspace])
        #expect(keys([0x09]) == [.tab])
        #expect(keys([0x1B]) == [.escape])
        #expect(keys([0x03]) == [.control("c")])
    }

    @Test("paging, home/end, delete and function keys")
    func editing() {
        #expect(keys(bytes("\u{1B}[5~\u{1B}[6~\u{1B}[H\u{1B}[F\u{1B}[3~")) == [.pageUp, .pageDown, .home, .end, .delete])
        #expect(keys(bytes("\u{1B}OQ")) == [.function(2)])
        #expect(keys(bytes("\u{1B}[12~")) == [.function(2)])
        #expect(keys(bytes("\u{1B}[1;5A")) == [.up])
    }

    @Test("text, Chinese included, and a character split across reads")
    func text() {
        #expect(keys(bytes("aX1")) == [.character("a"), .character("X"), .character("1")])
        #expect(keys(bytes("居住证")) == [.character("居"), .character("住"), .character("证")])
        let utf8 = bytes("证")
        #expect(keys(Array(utf8.prefix(1)), Array(utf8.dropFirst())) == [.character("证")])
    }

    @Test("an escape sequence split across reads waits for its end")
    func splitSequence() {
        #expect(keys(bytes("\u{1B}["), bytes("A")) == [.up])
        #expect(keys(bytes("\u{1B}[5"), bytes("~")) == [.pageUp])
    }

    @Test("garbage never crashes: stray continuation bytes and unknown sequences are skipped")
    func garbage() {
        #expect(keys([0x80, 0xBF, 0x41]) == [.character("A")])
        #expect(keys(bytes("\u{1B}[99~x")) == [.character("x")])
        #expect(keys([0xFF, 0x00, 0x1C]) == [])
        // Alt+key: Esc then the key.
        #expect(keys(bytes("\u{1B}x")) == [.escape, .character("x")])
    }
}
