import ArgumentParser
import Foundation
import KioskCore
import WindowClient
import WindowCore

/// Printing for people (plain) and scripts (`--json`); errors as one bilingual line.
enum Output {
    /// Plain output may carry text from the server: terminal controls in it are dropped.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((TextLayout.printable(text, keeping: ["\n", "\t"]) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TextLayout.printable(text, keeping: ["\n", "\t"]) + "\n").utf8))
    }

    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder.windowClient
        encoder.outputFormatting.insert(.prettyPrinted)
        if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) {
            line(text)
        }
    }

    /// One clear line on stderr (and the JSON error on stdout for `--json`), then exit 1.
    static func fail(_ error: WindowClientError, json: Bool) -> ExitCode {
        var text = "错误 / error: " + error.message
        if let next = error.nextOpening { text += " [nextOpening \(ISO8601DateFormatter().string(from: next))]" }
        Self.error(text)
        if json {
            struct Body: Encodable {
                struct Detail: Encodable { var code: String; var message: String; var status: Int?; var nextOpening: Date? }
                var error: Detail
            }
            Self.json(Body(error: .init(code: error.code, message: error.message, status: error.status, nextOpening: error.nextOpening)))
        }
        return ExitCode(1)
    }

    /// A ticket as one line for people, or its JSON for `--json`.
    static func show(_ ticket: TicketView, json: Bool) {
        if json { Self.json(ticket) } else { line(Self.ticket(ticket)) }
    }

    static func ticket(_ ticket: TicketView) -> String {
        var parts = ["\(ticket.number)", "ticket \(ticket.id)", ticket.itemCode, "state \(ticket.state.rawValue)"]
        if ticket.priorityClass != .normal { parts.append("lane \(ticket.priorityClass.rawValue)\(ticket.priorityReason.map { "/\($0.rawValue)" } ?? "")") }
        if let position = ticket.position { parts.append("position \(position)") }
        if let ahead = ticket.ahead { parts.append("ahead \(ahead)") }
        if ticket.state == .waiting || ticket.state == .offered {
            parts.append(ticket.waitSeconds.map { $0 < 60 ? "eta under 1 min" : "eta \(($0 + 59) / 60) min" } ?? "eta unknown (no clerk on duty)")
        }
        if let clerks = ticket.clerksOnDuty { parts.append("clerks \(clerks)") }
        if let masked = ticket.idNumberMasked { parts.append("id \(masked)") }
        if ticket.kioskGraceUntil != nil { parts.append("kept for a disconnected kiosk") }
        if let session = ticket.session {
            parts.append("session \(session.id) \(session.state.rawValue) clerk \(session.clerkName) window \(session.window)")
            if let outcome = session.outcome { parts.append("outcome \(outcome.rawValue)") }
            if let caseNumber = session.caseNumber { parts.append("case \(caseNumber)") }
        }
        return parts.joined(separator: "  ")
    }
}
