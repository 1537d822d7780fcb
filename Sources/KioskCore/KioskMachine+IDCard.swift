import Foundation
import WindowClient
import WindowCore

// Keys on the idCard screen: the ID number, then the lane.
extension KioskState {
    mutating func idCardKey(_ key: Key, _ idCard: inout IDCardScreen) -> [KioskEffect] {
        switch idCard.step {
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
                screen = .item(idCard.guide)
                return []
            case .enter:
                switch IDCardCheck.check(text, today: now, elderlyAge: settings.elderlyAge) {
                case .success(let check):
                    let selected = check.lanes.firstIndex(of: check.suggestedLane) ?? 0
                    idCard.step = .lane(check, selected: selected)
                    return []
                case .failure(let found):
                    problem = found
                }
            default: break
            }
            idCard.step = .entry(text: text, problem: problem)
        case .lane(let check, var selected):
            switch key {
            case .up: selected = max(0, selected - 1)
            case .down: selected = min(check.lanes.count - 1, selected + 1)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = c.wholeNumberValue, n >= 1, n <= check.lanes.count { selected = n - 1 }
            case .escape:
                idCard.step = .entry(text: "", problem: nil)
                return []
            case .enter:
                let lane = check.lanes[min(selected, check.lanes.count - 1)]
                busy = .takingTicket
                idCard.step = .lane(check, selected: selected)
                return [.takeTicket(item: idCard.item.code, idNumber: check.idNumber, priority: lane.priorityReason)]
            default: break
            }
            idCard.step = .lane(check, selected: selected)
        }
        return []
    }
}
