#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Dispatch
import Foundation
import KioskCore
import WindowClient
import WindowCore

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the full-screen kiosk interface (keyboard: arrows, numbers, Enter, Esc; L switches 中文/English). Ctrl-C stops it."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Seconds without a key press after which the screen returns home and forgets the person (not while waiting or in session).")
    var idleTimeout: Int = 120

    @Option(name: .long, help: "Folder with the scans to upload (default: the one set at setup, else the current folder).")
    var materialsDir: String?

    @Option(name: .long, help: "Append a line per event (never an ID number) to this file.")
    var logFile: String?

    func validate() throws {
        guard (10...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 10–3600 seconds") }
    }

    func run() async throws {
        let (config, endpoint) = try options.load(json: false)
        let terminal = Terminal()
        guard terminal.isTerminal else {
            throw Output.fail(.invalidInput(code: "not_a_terminal", "kiosk run 需要在终端中运行 / kiosk run needs a terminal"), json: false)
        }
        let folder = materialsDir ?? config.materialsDirectory ?? FileManager.default.currentDirectoryPath
        let settings = KioskSettings(idleTimeout: TimeInterval(idleTimeout), materialsDirectory: URL(fileURLWithPath: folder).standardizedFileURL.path)
        let log = EventLog(path: logFile)
        try await WindowAPI.using(endpoint: endpoint, credential: config.credential) { api in
            // Refuse to run against a server that cannot be verified, or that refuses this kiosk.
            // A server that is only down is waited for: the screen says it is connecting.
            do throws(WindowClientError) {
                _ = try await api.kioskSite()
            } catch where error.kind == .untrusted || error.status == 401 || error.status == 403 {
                throw Output.fail(error, json: false)
            } catch {}

            let live = LiveConnection(endpoint: endpoint, credential: config.credential)
            let runtime = KioskRuntime(api: api, live: live, terminal: terminal, settings: settings, log: log)
            do {
                try terminal.enterRawMode()
            } catch {
                throw Output.fail(.invalidInput(code: "not_a_terminal", "无法设置终端 / cannot set up the terminal"), json: false)
            }
            await runtime.run()
            terminal.restore()
            await live.stop()
        }
    }
}

/// Appends one line per event to a file; personal data never reaches it (ID numbers are
/// ``SecretIDNumber`` values, which print masked).
struct EventLog: Sendable {
    let path: String?

    func write(_ text: String) {
        guard let path else { return }
        let line = ISO8601DateFormatter().string(from: Date()) + " " + text + "\n"
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600])
        }
    }
}

/// Runs the screen: keys, the clock and the live connection go into one event stream; each
/// event goes through the pure state machine, the screen is redrawn, and the effects it asks
/// for run concurrently, their answers coming back as events.
final class KioskRuntime {
    let api: WindowAPI
    let live: LiveConnection
    let terminal: Terminal
    let log: EventLog
    var state: KioskState
    var painter = FramePainter()
    let events: AsyncStream<KioskEvent>
    let continuation: AsyncStream<KioskEvent>.Continuation
    var signalSources: [any DispatchSourceSignal] = []

    init(api: WindowAPI, live: LiveConnection, terminal: Terminal, settings: KioskSettings, log: EventLog) {
        self.api = api
        self.live = live
        self.terminal = terminal
        self.log = log
        state = KioskState(settings: settings, now: Date())
        (events, continuation) = AsyncStream.makeStream(of: KioskEvent.self)
    }

    func run() async {
        installSignals()
        startInput()
        let continuation = self.continuation
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                continuation.yield(.tick)
            }
        }
        let forwarder = Task { [live] in
            for await event in live.events { continuation.yield(.live(event)) }
        }
        let size = terminal.size()
        _ = state.handle(.resize(width: size.width, height: size.height), at: Date())
        perform(state.start())
        live.start()
        draw()
        log.write("kiosk started")
        for await event in events {
            if case .key(.control("c")) = event { break }
            if case .resize = event { painter.invalidate() }
            let screenBefore = state.screen.name
            let effects = state.handle(event, at: Date())
            if state.screen.name != screenBefore { log.write("screen \(screenBefore) -> \(state.screen.name)") }
            if case .live(let live) = event, !(isMessage(live)) { log.write("live \(live)") }
            draw()
            perform(effects)
        }
        ticker.cancel()
        forwarder.cancel()
        log.write("kiosk stopped")
    }

    func isMessage(_ event: LiveConnection.Event) -> Bool {
        if case .message = event { return true }
        return false
    }

    func draw() {
        let rows = Renderer.render(state).map(\.ansi)
        painter.paint(rows, on: terminal)
    }

    func installSignals() {
        let terminal = self.terminal
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                terminal.restore()
                exit(128 + signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
        signal(SIGWINCH, SIG_IGN)
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        let continuation = self.continuation
        resize.setEventHandler {
            let size = terminal.size()
            continuation.yield(.resize(width: size.width, height: size.height))
        }
        resize.resume()
        signalSources.append(resize)
    }

    /// Reads the keyboard on its own thread (a blocking read), decoding bytes into keys.
    func startInput() {
        let continuation = self.continuation
        let thread = Thread {
            var decoder = KeyDecoder()
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, 256) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    continuation.finish()
                    return
                }
                for key in decoder.decode(Array(buffer[0..<count])) {
                    continuation.yield(.key(key))
                }
            }
        }
        thread.start()
    }

    func perform(_ effects: [KioskEffect]) {
        for effect in effects {
            log.write("effect \(effect)")
            Self.launch(effect, api: api, continuation: continuation, log: log)
        }
    }

    static func launch(_ effect: KioskEffect, api: WindowAPI, continuation: AsyncStream<KioskEvent>.Continuation, log: EventLog) {
        Task {
            let event = await execute(effect, api: api)
            Self.note(event, log: log)
            continuation.yield(event)
        }
    }

    static func note(_ event: KioskEvent, log: EventLog) {
        switch event {
        case .failed(_, let error): log.write("failed \(error.code): \(error.message)")
        default: break
        }
    }

    static func execute(_ effect: KioskEffect, api: WindowAPI) async -> KioskEvent {
        do throws(WindowClientError) {
            switch effect {
            case .loadSite:
                return .siteLoaded(try await api.kioskSite())
            case .loadCategories:
                return .categoriesLoaded(try await api.categories())
            case .loadItems(let source):
                switch source {
                case .category(let category):
                    return .itemsLoaded(source, try await api.items(category: category.code).map(\.item))
                case .search(let query):
                    return .itemsLoaded(source, try await api.items(query: query).map(\.item))
                }
            case .loadItem(let code):
                return .itemLoaded(try await api.item(code: code).item)
            case .loadTicketItem(let code, let version):
                return .ticketItemLoaded(try await api.item(code: code, version: version).item)
            case .takeTicket(let item, let idNumber, let priority):
                let request = TakeTicketRequest(item: item, priorityReason: priority, idNumber: idNumber.revealForServer)
                return .ticketTaken(try await api.takeTicket(request))
            case .leaveTicket(let id):
                return .ticketLeft(try await api.leaveTicket(id: id))
            case .loadCurrentTicket:
                return .currentTicketLoaded(try await api.currentTicket())
            case .loadSession(let id):
                return .sessionLoaded(try await api.session(id: id))
            case .listFiles(let directory):
                return .filesListed(try listFiles(directory))
            case .upload(let session, let path, let name):
                let file = try MaterialFile(path: path)
                return .uploaded(try await api.uploadMaterial(session: session, name: name, file: file))
            case .rate(let session, let level, let comment, let phone):
                var request = RateSessionRequest(level: level, comment: comment)
                if let phone {
                    // Leaving the number after the screen stated what it is for is the consent.
                    request.callbackPhone = phone.revealForServer
                    request.phoneConsent = true
                }
                return .rated(try await api.rate(session: session, request))
            case .lookUpCorrection(let reference):
                return .correctionFound(try await api.correction(reference: reference))
            case .loadCorrectionItem(let code, let version):
                return .correctionItemLoaded(try await api.item(code: code, version: version).item)
            case .takeReturnTicket(let item, let reference):
                return .ticketTaken(try await api.takeTicket(TakeTicketRequest(item: item, reference: reference)))
            }
        } catch {
            return .failed(effect, error)
        }
    }

    /// Regular, visible files of the scans folder, by name, each with the type its first bytes show.
    static func listFiles(_ directory: String) throws(WindowClientError) -> [FileEntry] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .invalidInput(code: "invalid_folder", "无法读取扫描件文件夹 / cannot read the scans folder \(directory)")
        }
        var files: [FileEntry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            let size = (attributes[.size] as? Int) ?? 0
            var head = Data()
            if let handle = FileHandle(forReadingAtPath: path) {
                head = (try? handle.read(upToCount: 8)) ?? Data()
                try? handle.close()
            }
            files.append(FileEntry(name: name, path: path, size: size, kind: MaterialFile.sniff(head)))
        }
        return files
    }
}
