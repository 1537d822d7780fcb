import Foundation
import WindowClient
import WindowCore

// Keys on the identity screen: the ID number, then the lane.
extension KioskState {
    mutating func identityKey(_ key: Key, _ identity: inout IdentityScreen) -> [KioskEffect] {
        switch identity.step {
        case .entry(var text, var problem):
            switch key {
            case .character(let c) where (c.isASCII && c.isNumber) || c == "x" || c == "X":
                if text.count < 18 { text.append(c == "x" ? "X" : c) }
                problem = nil
            case .backspace:
                if !text.isEmpty { text.removeLast() }
                problem = nil
            case .escape:
                // Leaving the screen forgets what was typed.
                screen = .item(identity.guide)
                return []
            case .enter:
                switch IdentityCheck.check(text, today: now, elderlyAge: settings.elderlyAge) {
                case .success(let check):
                    let selected = check.lanes.firstIndex(of: check.suggestedLane) ?? 0
                    identity.step = .lane(check, selected: selected)
                    return []
                case .failure(let found):
                    problem = found
                }
            default: break
            }
            identity.step = .entry(text: text, problem: problem)
        case .lane(let check, var selected):
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(check.lanes.count - 1, selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= check.lanes.count { selected = n - 1 }
            case .escape:
                identity.step = .entry(text: "", problem: nil)
                return []
            case .enter:
                let lane = check.lanes[min(selected, check.lanes.count - 1)]
                busy = .takingTicket
                identity.step = .lane(check, selected: selected)
                return [.takeTicket(item: identity.item.code, idNumber: check.idNumber, priority: lane.priorityReason)]
            default: break
            }
            identity.step = .lane(check, selected: selected)
        }
        return []
    }
}
