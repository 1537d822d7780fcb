import ArgumentParser
import Foundation
import WindowClient
import WindowCore

struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Take, show, watch or leave this kiosk's ticket.",
        subcommands: [Take.self, Show.self, Current.self, Watch.self, Leave.self]
    )

    struct Take: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a ticket for an item.")

        @Argument(help: "The item code, e.g. JZZ-001.")
        var item: String

        @Option(name: .long, help: "The person's ID number (GB 11643, 18 characters), as the card reader would give it; `-` reads it from standard input. Never printed in full.")
        var idNumber: String?

        @Option(name: .long, help: "Priority lane: elderly (the ID number must show age 60 or over) or disabled (self-declared).")
        var priority: PriorityReason?

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var idNumber = idNumber
            if idNumber == "-" { idNumber = readLine(strippingNewline: true) }
            if let text = idNumber {
                // Checked here first so a typo gets a clear answer without a round trip.
                do {
                    _ = try ResidentID(text)
                } catch {
                    throw Output.fail(.invalidInput(code: APIErrorCode.invalidIDNumber.rawValue, error.message), json: output.json)
                }
            }
            let request = TakeTicketRequest(item: item, priorityReason: priority, idNumber: idNumber)
            let ticket = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in
                try await api.takeTicket(request)
            }
            Output.show(ticket, json: output.json)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one ticket of this kiosk.")

        @Argument(help: "The ticket id (a number, as `ticket take` prints it).")
        var id: Int64

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let ticket = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in try await api.ticket(id: id) }
            Output.show(ticket, json: output.json)
        }
    }

    struct Current: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show this kiosk's live ticket, if it holds one (exit status 1 when none).")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let ticket = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in try await api.currentTicket() }
            guard let ticket else {
                throw Output.fail(
                    .server(status: 404, code: APIErrorCode.notFound.rawValue, message: "本终端当前没有号票 / this kiosk holds no live ticket"), json: output.json)
            }
            Output.show(ticket, json: output.json)
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print each change of a ticket (over the live connection) until it ends; reconnects by itself.")

        @Argument(help: "The ticket id.")
        var id: Int64

        @Option(name: .long, help: "Give up after this many seconds (0: wait as long as it takes).")
        var timeout: Int = 0

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let json = output.json
            let (config, endpoint) = try options.load(json: json)
            let first = try await withKioskAPI(options, json: json) { api throws(WindowClientError) in try await api.ticket(id: id) }
            func show(_ ticket: TicketView) {
                if json {
                    let encoder = JSONEncoder.windowClient
                    if let data = try? encoder.encode(ticket) { Output.line(String(decoding: data, as: UTF8.self)) }
                } else {
                    Output.line(Output.ticket(ticket))
                }
            }
            show(first)
            if first.state.isFinal { return }
            let live = LiveConnection(endpoint: endpoint, credential: config.credential)
            live.start()
            let deadline = timeout > 0 ? Date().addingTimeInterval(TimeInterval(timeout)) : nil
            let timer = Task {
                guard let deadline else { return }
                try? await Task.sleep(for: .seconds(deadline.timeIntervalSinceNow))
                await live.stop()
            }
            var last = first
            var ended = false
            for await event in live.events {
                switch event {
                case .connected:
                    break
                case .disconnected(let error, let retry):
                    Output.error("连接中断，正在重连 / connection lost, reconnecting in \(retry): \(error.message)")
                case .message(.ticket(let ticket)) where ticket.id == id:
                    if ticket != last { show(ticket) }
                    last = ticket
                    if ticket.state.isFinal { ended = true }
                case .message(.idle):
                    // The kiosk holds no live ticket: this one has ended; read how.
                    let ticket = try? await WindowAPI.using(endpoint: endpoint, credential: config.credential) { api throws(WindowClientError) in
                        try await api.ticket(id: id)
                    }
                    if let ticket, ticket.state.isFinal {
                        if ticket != last { show(ticket) }
                        ended = true
                    }
                default:
                    break
                }
                if ended { break }
            }
            timer.cancel()
            await live.stop()
            if !ended {
                throw Output.fail(.unreachable("timed out after \(timeout) s, ticket still \(last.state.rawValue)"), json: json)
            }
        }
    }

    struct Leave: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Leave the queue: cancel a waiting or offered ticket.")

        @Argument(help: "The ticket id.")
        var id: Int64

        @OptionGroup var options: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let ticket = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in try await api.leaveTicket(id: id) }
            Output.show(ticket, json: output.json)
        }
    }
}

extension PriorityReason: ExpressibleByArgument {}

struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Show a session of this kiosk: state, materials and their review, outcome, case number, rating."
    )

    @Argument(help: "The session id (shown with the ticket once a clerk has accepted it).")
    var id: Int64

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let session = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in try await api.session(id: id) }
        if output.json {
            Output.json(session)
            return
        }
        var head = "session \(session.id)  ticket \(session.ticket)  \(session.itemCode)  state \(session.state.rawValue)"
        if let outcome = session.outcome { head += "  outcome \(outcome.rawValue)" }
        if let caseNumber = session.caseNumber { head += "  case \(caseNumber)" }
        Output.line(head)
        for material in session.materials {
            Output.line("  material \(material.id)  \(material.name)  \(material.contentType)  \(material.size) B  \(material.status.rawValue)\(material.reason.map { "  reason: \($0)" } ?? "")")
        }
        if let rating = session.rating {
            Output.line("  rating \(rating.level) \(rating.label.zh) / \(rating.label.en)\(rating.comment.map { "  \"\($0)\"" } ?? "")")
        }
    }
}

struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand over a scanned material in a live session (JPEG, PNG or PDF, at most 5 MiB)."
    )

    @Argument(help: "The session id.")
    var session: Int64

    @Argument(help: "The file to upload.")
    var file: String

    @Option(name: .long, help: "What the material is, e.g. 居民身份证 (1–64 characters).")
    var name: String

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else {
            throw Output.fail(.invalidInput(code: APIErrorCode.invalidMaterial.rawValue, "请填写材料名称（最多64字） / give the material a name (at most 64 characters)"), json: output.json)
        }
        let material: MaterialFile
        do {
            material = try MaterialFile(path: file)
        } catch {
            throw Output.fail(error, json: output.json)
        }
        let uploaded = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in
            try await api.uploadMaterial(session: session, name: name, file: material)
        }
        if output.json {
            Output.json(uploaded)
        } else {
            Output.line("已提交，等待审核 / uploaded, waiting for review: material \(uploaded.id)  \(uploaded.name)  \(uploaded.contentType)  \(uploaded.size) B")
        }
    }
}

struct Rate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rate a finished session (好差评): 5 非常满意 very satisfied … 1 非常不满意 very dissatisfied."
    )

    @Argument(help: "The session id.")
    var session: Int64

    @Argument(help: "Level 1–5: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.")
    var level: Int

    @Option(name: .long, help: "An optional comment (at most 500 characters).")
    var comment: String?

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (1...5).contains(level) else { throw ValidationError("评价等级为1–5 / the level is 1 (very dissatisfied) to 5 (very satisfied)") }
    }

    func run() async throws {
        let rating = try await withKioskAPI(options, json: output.json) { api throws(WindowClientError) in
            try await api.rate(session: session, level: level, comment: comment)
        }
        if output.json {
            Output.json(rating)
        } else {
            Output.line("已评价 / rated: \(rating.level) \(rating.label.zh) / \(rating.label.en)")
        }
    }
}
