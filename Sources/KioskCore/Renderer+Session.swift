import Foundation
import WindowClient
import WindowCore

// The session screen: the clerk, the materials handed over, choosing a file and its name.
extension Renderer {
    static func sessionHeader(_ state: KioskState, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = []
        guard let ticket = state.ticket else { return lines }
        var top = StyledLine(" " + ticket.number, .selected)
        top.add("  " + itemName(state), .bold)
        lines.append(top)
        if let info = ticket.session {
            var clerk = StyledLine(" " + UI.clerkLabel.text(language))
            clerk.add(info.clerkName, .bold)
            clerk.add("      " + UI.windowLabel.text(language))
            clerk.add(info.window, .bold)
            lines.append(clerk)
            let (text, tone): (LocalizedText, Tone) = switch info.state {
            case .connecting: (UI.sessionConnecting, .yellow)
            case .active: (UI.sessionActive, .green)
            case .reconnecting: (UI.sessionReconnecting, .yellow)
            case .ended: (UI.sessionEnded, .plain)
            }
            var status = StyledLine(" " + UI.sessionStateLabel.text(language))
            status.add(text.text(language), tone)
            lines.append(status)
        }
        return lines
    }

    static func materialLines(_ state: KioskState, width: Int) -> [StyledLine] {
        let language = state.language
        var lines: [StyledLine] = [StyledLine(" " + UI.materialsHanded.text(language), .bold)]
        if state.materials.isEmpty {
            lines += wrapped(UI.noMaterialsYet.text(language), width: width, indent: 3, tone: .dim)
        }
        for (index, material) in state.materials.enumerated() {
            let (label, tone): (LocalizedText, Tone) = switch material.status {
            case .pending: (UI.statusPending, .yellow)
            case .accepted: (UI.statusAccepted, .green)
            case .rejected: (UI.statusRejected, .red)
            }
            let mark = material.status == .accepted ? "✓ " : material.status == .rejected ? "✗ " : "  "
            var line = StyledLine(String(format: "  %d. ", index + 1))
            let kind = material.contentType.split(separator: "/").last.map { $0.uppercased() } ?? ""
            let nameWidth = max(10, min(30, width - 40))
            let name = TextLayout.pad(TextLayout.ellipsize(material.name, to: nameWidth), to: nameWidth)
            line.add(name)
            line.add("  " + TextLayout.pad("\(kind) \(Format.size(material.size))", to: 12), .dim)
            line.add(" " + mark + label.text(language), tone)
            lines.append(line)
            if material.status == .rejected, let reason = material.reason {
                lines += wrapped(UI.reasonLabel.text(language) + reason, width: width, indent: 8, tone: .red)
            }
        }
        return lines
    }

    static func sessionBody(_ state: KioskState, _ session: SessionScreen, width: Int, height: Int) -> [StyledLine] {
        let language = state.language
        var lines = reconnectBanner(state, width: width) + sessionHeader(state, width: width)
        lines.append(.empty)
        switch session.mode {
        case .overview:
            lines += materialLines(state, width: width)
        case .pickFile(let files, let selected):
            let folder = TextLayout.ellipsize(state.settings.materialsDirectory, to: max(10, width - 40))
            lines.append(StyledLine(" " + UI.format(UI.pickFile, folder).text(language), .bold))
            guard let files else {
                lines.append(StyledLine("   " + UI.loading.text(language), .dim))
                return lines
            }
            if files.isEmpty { lines.append(StyledLine("   " + UI.noFiles.text(language), .yellow)) }
            let room = max(1, height - lines.count)
            let visible = window(count: files.count, selected: selected, height: room)
            func trailing(_ file: FileEntry) -> String {
                TextLayout.pad(Format.size(file.size), to: 8) + (file.kind == nil ? " " + UI.notScan.text(language) : "")
            }
            let column = visible.map { TextLayout.width(trailing(files[$0])) }.max() ?? 0
            for index in visible {
                let file = files[index]
                lines.append(row(
                    index + 1, file.name, selected: index == selected, width: width, trailing: trailing(file),
                    trailingTone: file.kind == nil ? .red : .dim, trailingColumn: column))
            }
        case .pickName(let file, let selected, let custom):
            lines.append(StyledLine(" " + file.name + "  " + Format.size(file.size), .cyan))
            lines.append(StyledLine(" " + UI.pickName.text(language), .bold))
            let names = state.materialNames
            let room = max(1, height - lines.count - 1)
            let count = names.count + 1
            for index in window(count: count, selected: selected, height: room) {
                let text = index < names.count ? names[index].text(language) : UI.otherMaterial.text(language)
                lines.append(row(index + 1, text, selected: index == selected, width: width))
            }
            if let custom {
                var field = StyledLine("   " + UI.customName.text(language))
                field.add("[" + TextLayout.pad(custom + "_", to: min(40, width - 24)) + "]", .selected)
                lines.append(field)
            }
        }
        return lines
    }
}
