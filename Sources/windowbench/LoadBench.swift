import AsyncHTTPClient
import Crypto
import Foundation
import Histogram
import HummingbirdWSClient
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import Synchronization
import WindowCore
import WindowServer
import WindowStore

/// A real `windowd` on loopback with thousands of kiosks and hundreds of clerks connected over
/// WSS and tickets arriving at a steady rate, each served in a full cycle (offer, accept, end,
/// ready): the time from a ticket taken to its offer arriving at a clerk, commits per ticket,
/// the server's memory per idle connection and at its peak, and the largest WAL seen.
/// With several rates (`--rates 200,400,…`) it runs one phase per rate on the same server and
/// reports the saturation rate: the highest whose p99 stays under 50 ms with nothing refused.
struct LoadBench {
    var kiosks = 2000
    var clerks = 200
    var rates = [200.0]
    var seconds = 20.0
    var windowd: String
    /// More arguments for the server (e.g. `--server-arg --snapshot-every --server-arg 1000`).
    var serverArguments: [String] = []
    static let saturationP99 = 50.0  // ms

    init(arguments: [String]) throws {
        windowd = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("windowd").path
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchError("\(flag) needs a value") }
            switch flag {
            case "--kiosks": kiosks = Int(value) ?? kiosks
            case "--clerks": clerks = Int(value) ?? clerks
            case "--rate", "--rates": rates = value.split(separator: ",").compactMap { Double($0) }
            case "--seconds": seconds = Double(value) ?? seconds
            case "--windowd": windowd = value
            case "--server-arg": serverArguments.append(value)
            default: throw BenchError("unknown option \(flag)")
            }
        }
        guard !rates.isEmpty, rates.allSatisfy({ $0 > 0 }) else { throw BenchError("--rates needs positive numbers, e.g. 200,400") }
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func run() async throws -> String {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("windowbench-\(UUID().uuidString)")
        let data = work.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        // Seed accounts and credentials straight into the database: bcrypt for 200 sign-ins
        // would measure bcrypt, not the queue.
        let catalogPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("catalog/items.json").path
        let document = try CatalogDocument.load(json: Data(contentsOf: URL(fileURLWithPath: catalogPath)))
        let database = try AppDatabase.open(path: data.appendingPathComponent("windowd.sqlite").path)
        try database.seedCatalogIfNeeded(document)
        let now = Date()
        let site = try database.createSite(SiteRecord(code: "bench", nameZh: "压测", nameEn: "Bench", hours: .always, createdAt: now))
        var kioskTokens: [String] = []
        for index in 0..<kiosks {
            let token = "rwk_bench\(index)_\(UUID().uuidString)"
            _ = try database.createKiosk(KioskRecord(siteID: site.id!, name: "k\(index)", tokenHash: Tokens.hash(token), createdAt: now))
            kioskTokens.append(token)
        }
        let categories = document.categories.map(\.code)
        var clerkTokens: [String] = []
        for index in 0..<clerks {
            let skills = (0..<3).map { categories[(index + $0 * 3) % categories.count] }
            let account = try database.createAccount(
                Account(username: "bench\(index)", displayName: "工作人员\(index)", role: .clerk, passwordHash: "!", createdAt: now),
                clerkProfile: ClerkProfileRecord(accountID: 0, window: "\(index)", skills: Array(Set(skills)).sorted(), items: []))
            let token = "rwa_bench\(index)_\(UUID().uuidString)"
            try database.insertAuthToken(hash: Tokens.hash(token), accountID: account.id!, createdAt: now, expiresAt: now.addingTimeInterval(3600))
            clerkTokens.append(token)
        }
        let items = document.items.map(\.code)

        // Start the server.
        let port = Int.random(in: 20000...40000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: windowd)
        // Room for every kiosk's and clerk's live connection, and no ticket rate limit: the bench measures the queue.
        process.arguments = [
            "--data", data.path, "--port", String(port), "--catalog", catalogPath, "--log-level", "warning",
            "--max-connections", String(kiosks + clerks + 1024), "--ticket-burst", "1000000",
        ] + serverArguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
        }

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(data.appendingPathComponent("tls/ca.pem").path)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let base = "https://localhost:\(port)"
        for _ in 0..<300 {
            if let response = try? await http.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(2)), response.status == .ok { break }
            try await Task.sleep(for: .milliseconds(100))
        }

        let recorder = Recorder()
        let logger = Logger(label: "windowbench")
        var connections: [Task<Void, Never>] = []
        // The WAL's size, sampled ten times a second for the whole run.
        let walPath = data.appendingPathComponent("windowd.sqlite-wal").path
        let largestWAL = Mutex(0)
        let walSampler = Task {
            while !Task.isCancelled {
                let size = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
                largestWAL.withLock { $0 = max($0, size) }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { walSampler.cancel() }

        func send(_ method: HTTPMethod, _ path: String, token: String, json: String? = nil) async -> (Int, Data) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            guard let response = try? await http.execute(request, timeout: .seconds(30)) else { return (0, Data()) }
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
            return (Int(response.status.code), body)
        }

        // Clerks: connect, go available, and serve every offer at once: accept, end, ready.
        for token in clerkTokens {
            connections.append(Task {
                var wsConfiguration = WebSocketClientConfiguration()
                wsConfiguration.additionalHeaders[.authorization] = "Bearer \(token)"
                wsConfiguration.maxFrameSize = 1 << 20
                let (offers, offerSink) = AsyncStream.makeStream(of: Int64.self)
                let worker = Task {
                    for await ticket in offers {
                        let (status, body) = await send(.POST, "/api/v1/clerk/offer/accept", token: token, json: #"{"ticket":\#(ticket)}"#)
                        guard status == 200, let view = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                            let session = (view["session"] as? [String: Any])?["id"] as? Int
                        else { continue }
                        _ = await send(.POST, "/api/v1/sessions/\(session)/end", token: token, json: #"{"outcome":"completed"}"#)
                        _ = await send(.POST, "/api/v1/clerk/ready", token: token)
                    }
                }
                _ = try? await WebSocketClient.connect(url: "wss://localhost:\(port)/api/v1/live", configuration: wsConfiguration, tlsConfiguration: tls, logger: logger) { inbound, _, _ in
                    var seen = Set<Int64>()
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message, text.contains(#""offer""#),
                            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                            let data = object["data"] as? [String: Any], let offer = data["offer"] as? [String: Any],
                            let ticket = (offer["ticket"] as? NSNumber)?.int64Value, seen.insert(ticket).inserted
                        else { continue }
                        recorder.offerReceived(ticket)
                        offerSink.yield(ticket)
                    }
                }
                offerSink.finish()
                await worker.value
            })
        }
        try await Task.sleep(for: .seconds(2))
        let rssBeforeKiosks = ProcessFigures.rss(pid: process.processIdentifier, field: "VmRSS:")
        // Kiosks: connected and listening, as real kiosks are.
        for (index, token) in kioskTokens.enumerated() {
            connections.append(Task {
                var wsConfiguration = WebSocketClientConfiguration()
                wsConfiguration.additionalHeaders[.authorization] = "Bearer \(token)"
                wsConfiguration.maxFrameSize = 1 << 20
                _ = try? await WebSocketClient.connect(url: "wss://localhost:\(port)/api/v1/live", configuration: wsConfiguration, tlsConfiguration: tls, logger: logger) { inbound, _, _ in
                    recorder.kioskConnected()
                    for try await _ in inbound.messages(maxSize: 1 << 20) {}
                }
            })
            if index % 100 == 99 { try await Task.sleep(for: .milliseconds(200)) }
        }
        // Idle: every kiosk connected, nothing happening.
        for _ in 0..<600 where recorder.connectedKiosks < kiosks { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .seconds(3))
        let rssIdle = ProcessFigures.rss(pid: process.processIdentifier, field: "VmRSS:")
        let connected = recorder.connectedKiosks
        let perConnection = connected > 0 ? Double(rssIdle - rssBeforeKiosks) / Double(connected) : 0
        for token in clerkTokens {
            _ = await send(.PUT, "/api/v1/clerk/state", token: token, json: #"{"state":"available"}"#)
        }
        let admin = await Self.adminToken(data: data) { await send($0, $1, token: $2, json: $3) }

        var lines: [String] = []
        var saturation: Double?
        var kiosk = 0
        for (phase, rate) in rates.enumerated() {
            let before = await Self.serverFigures(token: admin) { await send($0, $1, token: $2, json: $3) }
            let cpuBefore = (server: ProcessFigures.cpuSeconds(pid: process.processIdentifier), client: ProcessFigures.cpuSeconds(pid: getpid()))
            // Steady arrivals.
            let interval = Duration.seconds(1 / rate)
            let clock = ContinuousClock()
            let start = clock.now
            var next = start
            var sent = 0
            await withTaskGroup(of: Void.self) { group in
                while clock.now - start < .seconds(seconds) {
                    next += interval
                    try? await clock.sleep(until: next)
                    let token = kioskTokens[kiosk % kioskTokens.count]
                    let item = items[kiosk % items.count]
                    kiosk += 1
                    sent += 1
                    group.addTask {
                        let begun = ContinuousClock.now
                        let (status, body) = await send(.POST, "/api/v1/tickets", token: token, json: #"{"item":"\#(item)"}"#)
                        if status == 201, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                            let id = (object["id"] as? NSNumber)?.int64Value
                        {
                            recorder.ticketTaken(id, at: begun, phase: phase)
                        } else {
                            recorder.refused(phase: phase)
                        }
                    }
                }
                await group.waitForAll()
            }
            try await Task.sleep(for: .seconds(2))
            let cpu = (
                server: ProcessFigures.cpuSeconds(pid: process.processIdentifier) - cpuBefore.server,
                client: ProcessFigures.cpuSeconds(pid: getpid()) - cpuBefore.client
            )
            let after = await Self.serverFigures(token: admin) { await send($0, $1, token: $2, json: $3) }
            let (histogram, matched, refused, taken) = recorder.latencies(phase: phase)
            func millis(_ q: Double) -> Double { Double(histogram.valueAtPercentile(q)) / 1_000_000 }
            let commits = after.commits - before.commits
            let decisions = after.decisions - before.decisions
            if refused == 0, matched == taken, millis(99) < Self.saturationP99 { saturation = max(saturation ?? 0, rate) }
            lines.append(
                "mode=load rate=\(Int(rate))/s seconds=\(Int(seconds)) kiosks=\(kiosks) clerks=\(clerks) tickets_sent=\(sent) refused=\(refused) "
                    + "offers_matched=\(matched) " + String(format: "offer_p50_ms=%.2f offer_p99_ms=%.2f offer_max_ms=%.2f ", millis(50), millis(99), millis(100))
                    + "commits=\(Int(commits)) " + String(format: "commits_per_ticket=%.2f decisions_per_commit=%.1f ", commits / Double(max(taken, 1)), decisions / max(commits, 1))
                    + String(format: "server_cpu_ms_per_ticket=%.2f client_cpu_ms_per_ticket=%.2f ", cpu.server * 1000 / Double(max(taken, 1)), cpu.client * 1000 / Double(max(taken, 1)))
                    + "queue_timers=\(Int(after.timers))")
            print(lines.last!)
        }
        let peakRSS = ProcessFigures.rss(pid: process.processIdentifier, field: "VmHWM:")
        process.terminate()
        process.waitUntilExit()
        for connection in connections { connection.cancel() }
        try? await http.shutdown()
        let saturationText = saturation.map { "\(Int($0))/s" } ?? "below \(Int(rates.min()!))/s"
        lines.append(
            "mode=load summary kiosks_connected=\(connected) rss_before_kiosks_mb=\(rssBeforeKiosks / 1024) rss_idle_mb=\(rssIdle / 1024) "
                + String(format: "rss_per_idle_connection_kb=%.1f ", perConnection) + "peak_rss_mb=\(peakRSS / 1024) "
                + String(format: "largest_wal_mb=%.1f ", Double(largestWAL.withLock { $0 }) / 1_048_576)
                + "saturation_rate=\(saturationText) (highest rate tried with p99 < \(Int(Self.saturationP99)) ms and nothing refused)")
        return lines.last!
    }

    static func adminToken(data: URL, send: (HTTPMethod, String, String, String?) async -> (Int, Data)) async -> String {
        guard let password = try? String(contentsOf: data.appendingPathComponent("initial-admin-password"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        else { return "" }
        let (_, login) = await send(.POST, "/api/v1/auth/login", "", #"{"username":"admin","password":"\#(password)"}"#)
        return (try? JSONSerialization.jsonObject(with: login) as? [String: Any])?["token"] as? String ?? ""
    }

    /// The server's own figures, from /metrics: its write transactions, and decisions in them;
    /// and the queue's timers waiting to fire.
    static func serverFigures(token: String, send: (HTTPMethod, String, String, String?) async -> (Int, Data)) async -> (commits: Double, decisions: Double, timers: Double) {
        let (_, body) = await send(.GET, "/metrics", token, nil)
        var figures = (commits: 0.0, decisions: 0.0, timers: 0.0)
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") {
            let value = Double(line.split(separator: " ").last ?? "0") ?? 0
            if line.hasPrefix("rw_queue_commit_decisions_count ") { figures.commits = value }
            if line.hasPrefix("rw_queue_commit_decisions_sum ") { figures.decisions = value }
            if line.hasPrefix("rw_queue_timers ") { figures.timers = value }
        }
        return figures
    }
}

/// Times shared between the kiosks' and the clerks' tasks, by phase.
final class Recorder: Sendable {
    private struct State {
        var taken: [Int64: (ContinuousClock.Instant, Int)] = [:]
        var received: [Int64: ContinuousClock.Instant] = [:]
        var refused: [Int: Int] = [:]
        var kiosksConnected = 0
    }
    private let state = Mutex(State())

    func ticketTaken(_ id: Int64, at instant: ContinuousClock.Instant, phase: Int) { state.withLock { $0.taken[id] = (instant, phase) } }
    func offerReceived(_ id: Int64) { let now = ContinuousClock.now; state.withLock { $0.received[id] = now } }
    func refused(phase: Int) { state.withLock { $0.refused[phase, default: 0] += 1 } }
    func kioskConnected() { state.withLock { $0.kiosksConnected += 1 } }
    var connectedKiosks: Int { state.withLock { $0.kiosksConnected } }

    /// Ticket → offer times of one phase, offers matched, tickets refused and taken.
    func latencies(phase: Int) -> (Histogram<UInt64>, matched: Int, refused: Int, taken: Int) {
        state.withLock { state in
            var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
            var matched = 0
            var taken = 0
            for (id, (instant, tookIn)) in state.taken where tookIn == phase {
                taken += 1
                guard let received = state.received[id] else { continue }
                let elapsed = received - instant
                histogram.record(UInt64(max(0, elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)))
                matched += 1
            }
            return (histogram, matched, state.refused[phase] ?? 0, taken)
        }
    }
}
