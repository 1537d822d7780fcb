import Foundation
import WindowClient
import WindowCore

// Keys in a session: handing over materials.
extension KioskState {
    mutating func sessionKey(_ key: Key, _ session: inout SessionScreen) -> [KioskEffect] {
        guard let sessionID = ticket?.session?.id, hasLiveTicket else { return [] }
        switch session.mode {
        case .overview:
            switch key {
            case .character("u"), .character("U"):
                session.mode = .pickFile(files: nil, selected: 0)
                return [.listFiles(directory: settings.materialsDirectory)]
            case .character("r"), .character("R"):
                return [.loadSession(sessionID)]
            default: break
            }
        case .pickFile(let files, var selected):
            let count = files?.count ?? 0
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(max(0, count - 1), selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= count { selected = n - 1 }
            case .escape: session.mode = .overview; return []
            case .enter:
                guard let files, files.indices.contains(selected) else { return [] }
                let file = files[selected]
                guard file.kind != nil else {
                    notice = Notice(.error, .bilingual(Self.unsupportedMessage))
                    return []
                }
                session.mode = .pickName(file: file, selected: 0, custom: nil)
                return []
            default: break
            }
            session.mode = .pickFile(files: files, selected: selected)
        case .pickName(let file, var selected, var custom):
            let names = materialNames
            if var text = custom {
                switch key {
                case .character(let c) where Self.isTextCharacter(c):
                    if text.count < 64 { text.append(c) }
                case .backspace: if !text.isEmpty { text.removeLast() }
                case .escape: custom = nil; session.mode = .pickName(file: file, selected: selected, custom: nil); return []
                case .enter:
                    let name = text.trimmingCharacters(in: .whitespaces)
                    guard !name.isEmpty else { return [] }
                    session.mode = .overview
                    busy = .uploading
                    return [.upload(session: sessionID, path: file.path, name: name)]
                default: break
                }
                session.mode = .pickName(file: file, selected: selected, custom: text)
                return []
            }
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(names.count, selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= names.count + 1 { selected = n - 1 }
            case .escape: session.mode = .overview; return []
            case .enter:
                if selected >= names.count {
                    custom = ""
                } else {
                    session.mode = .overview
                    busy = .uploading
                    return [.upload(session: sessionID, path: file.path, name: String(names[selected].zh.prefix(64)))]
                }
            default: break
            }
            session.mode = .pickName(file: file, selected: selected, custom: custom)
        }
        return []
    }

    static let unsupportedMessage = "仅支持 JPEG、PNG 或 PDF 扫描件，该文件不是 / only JPEG, PNG or PDF scans can be uploaded; this file is none of them"

    /// The names a material can be handed over as: the item's list (the last row is "other").
    public var materialNames: [LocalizedText] {
        (ticketItem?.materials ?? []).map(\.name)
    }
}
