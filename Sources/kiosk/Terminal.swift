#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The controlling terminal in raw mode on the alternate screen. Whatever happens — a normal
/// exit, SIGINT, SIGTERM, SIGHUP — ``restore()`` puts it back as it was.
final class Terminal: Sendable {
    private let saved = Mutex<termios?>(nil)

    static let enterScreen = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J\u{1B}[H"
    static let leaveScreen = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"

    var isTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Raw input (no echo, no line buffering, bytes as typed); Ctrl-C still signals.
    func enterRawMode() throws {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { throw TerminalError.notATerminal }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | ISTRIP | BRKINT)
        raw.c_cflag |= tcflag_t(CS8)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { throw TerminalError.notATerminal }
        saved.withLock { $0 = original }
        write(Self.enterScreen)
    }

    /// Idempotent and safe from a signal handler's queue.
    func restore() {
        let original = saved.withLock { state -> termios? in
            let original = state
            state = nil
            return original
        }
        guard var original else { return }
        write(Self.leaveScreen)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    /// Columns and rows; 80x24 when it cannot be read.
    func size() -> (width: Int, height: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        return (80, 24)
    }

    enum TerminalError: Error { case notATerminal }
}

/// Draws frames, writing only the rows that changed since the last one.
struct FramePainter {
    private var previous: [String] = []

    mutating func invalidate() { previous = [] }

    mutating func paint(_ rows: [String], on terminal: Terminal) {
        var output = ""
        if previous.count != rows.count { output += "\u{1B}[2J" ; previous = [] }
        for (index, row) in rows.enumerated() where index >= previous.count || previous[index] != row {
            output += "\u{1B}[\(index + 1);1H" + row
        }
        previous = rows
        if !output.isEmpty { terminal.write(output) }
    }
}
