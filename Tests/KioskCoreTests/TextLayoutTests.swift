import Testing

@testable import KioskCore

@Suite("Terminal text widths, padding and wrapping")
struct TextLayoutTests {
    @Test("CJK characters take two columns, ASCII one, marks none")
    func widths() {
        #expect(TextLayout.width("abc") == 3)
        #expect(TextLayout.width("居住证") == 6)
        #expect(TextLayout.width("（，）") == 6)
        #expect(TextLayout.width("R001 居住证") == 11)
        #expect(TextLayout.width("e\u{301}") == 1)
        #expect(TextLayout.width("↑↓─✓✗") == 5)
    }

    @Test("cutting never splits a wide character; padding fills exactly")
    func truncateAndPad() {
        #expect(TextLayout.truncate("居住证新办", to: 5) == "居住")
        #expect(TextLayout.width(TextLayout.pad("居住证", to: 7)) == 7)
        #expect(TextLayout.width(TextLayout.pad("居住证新办", to: 5)) == 5)
        #expect(TextLayout.ellipsize("Residence permit", to: 10) == "Residen...")
        #expect(TextLayout.ellipsize("short", to: 10) == "short")
    }

    @Test("Chinese wraps anywhere, English at spaces, and every line fits")
    func wrap() {
        let chinese = String(repeating: "居住证新办，", count: 10)
        for line in TextLayout.wrap(chinese, width: 20) { #expect(TextLayout.width(line) <= 20) }
        let english = "Take a number at the kiosk and show the originals to the remote clerk over the video link"
        let lines = TextLayout.wrap(english, width: 30)
        #expect(lines.count > 2)
        for line in lines {
            #expect(TextLayout.width(line) <= 30)
            #expect(!line.hasPrefix(" ") && !line.hasSuffix(" "))
        }
        #expect(lines.joined(separator: " ") == english)
        #expect(TextLayout.wrap("averyveryverylongwordwithoutspaces", width: 10).allSatisfy { TextLayout.width($0) <= 10 })
        #expect(TextLayout.wrap("a\n\nb", width: 10) == ["a", "", "b"])
    }

    @Test("M5: text from the network loses terminal controls and bidi overrides before it is drawn")
    func controlsAreDropped() {
        let hostile = "照片\u{1B}]0;pwned\u{07}模糊\u{1B}[2J\u{9B}31m\u{202E}cba\u{0}!"
        let line = StyledLine(hostile, .red)
        #expect(line.plain == "照片]0;pwned模糊[2J31mcba!")
        #expect(!line.plain.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(TextLayout.printable("one\ntwo\tthree\u{1B}", keeping: ["\n", "\t"]) == "one\ntwo\tthree")
        #expect(TextLayout.printable("plain 中文") == "plain 中文")
    }
}
