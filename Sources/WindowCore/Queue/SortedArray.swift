/// An array kept sorted, with binary-search insert and remove. The queues it holds are
/// hundreds to a few thousand long, where a memmove beats a tree.
struct SortedArray<Element: Comparable & Sendable>: Sendable {
    private(set) var elements: [Element] = []

    var isEmpty: Bool { elements.isEmpty }
    var count: Int { elements.count }
    var first: Element? { elements.first }

    /// Index of the first element not less than `value`.
    func lowerBound(_ value: Element) -> Int {
        var low = 0
        var high = elements.count
        while low < high {
            let mid = (low + high) / 2
            if elements[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    mutating func insert(_ value: Element) {
        elements.insert(value, at: lowerBound(value))
    }

    @discardableResult
    mutating func remove(_ value: Element) -> Bool {
        let index = lowerBound(value)
        guard index < elements.count, elements[index] == value else { return false }
        elements.remove(at: index)
        return true
    }

    mutating func removeFirst() -> Element {
        elements.removeFirst()
    }

    func contains(_ value: Element) -> Bool {
        let index = lowerBound(value)
        return index < elements.count && elements[index] == value
    }
}

/// Place in a queue: enqueue time, then id, so equal times stay first come, first served.
struct QueueKey: Comparable, Hashable, Sendable {
    var at: Date
    var ticket: TicketID

    static func < (lhs: QueueKey, rhs: QueueKey) -> Bool {
        (lhs.at, lhs.ticket) < (rhs.at, rhs.ticket)
    }
}

/// Place among available clerks: longest idle first.
struct IdleKey: Comparable, Hashable, Sendable {
    var idleSince: Date
    var clerk: ClerkID

    static func < (lhs: IdleKey, rhs: IdleKey) -> Bool {
        (lhs.idleSince, lhs.clerk) < (rhs.idleSince, rhs.clerk)
    }
}

/// Something the clock must act on. Stale entries (the thing changed since) are skipped.
struct Deadline: Comparable, Hashable, Sendable, Codable {
    enum Kind: Hashable, Sendable, Codable {
        case offer(TicketID)
        case exclusion(TicketID, ClerkID)
        case kioskGrace(TicketID)
        case rejoin(SessionID)
        case wrapUp(ClerkID)
        case clerkGrace(ClerkID)

        var order: (Int, Int64, Int64) {
            switch self {
            case .offer(let t): (0, t, 0)
            case .exclusion(let t, let c): (1, t, c)
            case .kioskGrace(let t): (2, t, 0)
            case .rejoin(let s): (3, s, 0)
            case .wrapUp(let c): (4, c, 0)
            case .clerkGrace(let c): (5, c, 0)
            }
        }
    }

    var at: Date
    var kind: Kind

    static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        if lhs.at != rhs.at { return lhs.at < rhs.at }
        return lhs.kind.order < rhs.kind.order
    }
}

import Foundation

extension Ticket {
    var queueKey: QueueKey { QueueKey(at: enqueuedAt, ticket: id) }
}
