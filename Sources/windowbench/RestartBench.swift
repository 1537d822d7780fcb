import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import WindowCore
import WindowServer
import WindowStore

/// Start-up time against history length: a data folder with N events of a busy district's queue
/// (tickets taken, offered, accepted, served, wrapped up), then `windowd`'s own start (open the
/// database, load the queue, TLS, listen) timed until it serves — with the snapshot the owner
/// writes, and (up to --full-replay-max events) without it, replaying the whole log.
///
///     swift run -c release windowbench restart --events 84800 --events 5000000
struct RestartBench {
    var sizes: [Int] = []
    var fullReplayMax = 1_000_000
    /// Events after the snapshot, as the owner leaves at most (its default: one every 20,000).
    var tail = 10_000
    var seed: UInt64 = 7

    init(arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--events": sizes.append(Int(iterator.next() ?? "") ?? 0)
            case "--full-replay-max": fullReplayMax = Int(iterator.next() ?? "") ?? fullReplayMax
            case "--tail": tail = Int(iterator.next() ?? "") ?? tail
            default: throw BenchError(description: "unknown option \(argument)")
            }
        }
        if sizes.isEmpty { sizes = [84_800, 1_000_000] }
    }

    struct BenchError: Error, CustomStringConvertible { var description: String }

    func run() async throws -> String {
        var lines = ["restart: start (database, queue, TLS, listen) until serving; snapshot every 20,000 events"]
        for size in sizes {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rw-restart-\(size)-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let generated = ContinuousClock.now
            let (events, tickets) = try generate(events: size, into: folder)
            let generation = ContinuousClock.now - generated
            let database = folder.appendingPathComponent("windowd.sqlite").path
            let bytes = (try? FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? 0
            lines.append(String(format: "  %9d events (%d tickets, database %.0f MB, generated in %.0f s)", events, tickets, Double(bytes) / 1e6, generation.seconds))
            _ = try await startUntilServing(folder)  // the first start also seeds the catalog and makes TLS files: not timed
            let withSnapshot = try await startUntilServing(folder)
            lines.append(String(format: "    with the snapshot (+%d events replayed): %6.2f s", tail, withSnapshot))
            if events <= fullReplayMax {
                let db = try AppDatabase.open(path: database)
                try await db.writer.write { try $0.execute(sql: "DELETE FROM queueSnapshot") }
                let full = try await startUntilServing(folder)
                lines.append(String(format: "    whole log replayed:                  %6.2f s", full))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The log of a busy district: 200 clerks over 8 categories, tickets from 2,000 kiosks, each
    /// served in full; written in large transactions. A snapshot is taken `tail` events before the end.
    func generate(events target: Int, into folder: URL) throws -> (events: Int, tickets: Int) {
        let database = try AppDatabase.open(path: folder.appendingPathComponent("windowd.sqlite").path)
        var random = SplitMix(seed: seed)
        var state = QueueState()
        var now = Date(timeIntervalSince1970: 1_780_000_000)
        let categories = (0..<8).map { "cat\($0)" }
        let clerks = 200
        for id in 1...clerks {
            let profile = ClerkProfile(displayName: "c\(id)", window: "\(id)", skills: [categories[id % 8], categories[(id + 3) % 8]])
            _ = state.registerClerk(ClerkID(id), profile: profile, at: now, actor: "bench")
            _ = try state.setClerkState(ClerkID(id), to: .available, at: now, actor: "bench")
        }
        var batch = Decision()
        var written = 0, tickets = 0
        var snapshotTaken = false
        func flush() throws {
            try database.commitQueue(batch)
            written += batch.records.count
            batch = Decision()
        }
        while written + batch.records.count < target {
            now += 1
            tickets += 1
            let category = categories[Int(random.next() % 8)]
            let request = TicketRequest(
                itemCode: "\(category)-\(random.next() % 9)", category: category, letter: "A", expectedMinutes: 5, site: 1,
                kiosk: KioskID(1 + random.next() % 2_000), hours: .always)
            if state.ticketByKiosk[request.kiosk] != nil { continue }
            let (ticket, issued) = try state.takeTicket(request, at: now, actor: "bench")
            batch += issued
            // Whoever was offered it accepts, serves a while and is ready again.
            if let offer = state.tickets[ticket.id]?.offer {
                let (session, accepted) = try state.acceptOffer(clerk: offer.clerk, ticket: ticket.id, at: now, actor: "bench")
                batch += accepted
                batch += try state.endSession(session, outcome: .completed, by: offer.clerk, at: now + 1, actor: "bench")
                batch += try state.ready(clerk: offer.clerk, at: now + 1, actor: "bench")
            }
            batch += state.tick(now: now)
            _ = state.drainFinished()
            if batch.records.count >= 20_000 { try flush() }
            if !snapshotTaken && written + batch.records.count >= target - tail {
                try flush()
                try database.saveQueueSnapshot(state.snapshot, at: now)
                snapshotTaken = true
            }
        }
        try flush()
        return (written, tickets)
    }

    /// windowd's start on the folder, timed until it listens; then it is stopped.
    func startUntilServing(_ folder: URL) async throws -> Double {
        var settings = ServerSettings(dataDirectory: folder, host: "127.0.0.1", port: 0, catalogPath: Repository.catalog)
        settings.passwordCost = 4
        var logger = Logger(label: "restart-bench")
        logger.logLevel = .error
        let started = ContinuousClock.now
        let (serving, servingContinuation) = AsyncStream.makeStream(of: Void.self)
        let (app, _) = try await buildApplication(settings: settings, logger: logger) { _ in
            servingContinuation.yield()
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let run = Task { try await group.run() }
        for await _ in serving { break }
        let elapsed = ContinuousClock.now - started
        await group.triggerGracefulShutdown()
        _ = await run.result
        return elapsed.seconds
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The shipped catalog, found from the working directory (run from the repository).
enum Repository {
    static var catalog: String { FileManager.default.currentDirectoryPath + "/catalog/items.json" }
}
