import Foundation
import Testing
import WindowCore

@testable import WindowClient

@Suite("The client against a real windowd", .serialized)
struct ClientServerTests {
    @Test("a kiosk's calls: catalog, site, tickets, typed refusals, the live stream")
    func kioskFlow() async throws {
        let server = try InProcessServer()
        try await server.start()
        let credential = try await server.makeKiosk()
        let api = WindowAPI(endpoint: try server.endpoint(), credential: credential)
        let live = LiveConnection(endpoint: try server.endpoint(), credential: credential, backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1)))
        do {
            let categories = try await api.categories()
            #expect(categories.contains { $0.code == "residence" })
            let items = try await api.items(category: "residence")
            #expect(items.contains { $0.item.code == "JZZ-001" })
            #expect(try await api.items(query: "居住证新办").count == 1)
            #expect(try await api.item(code: "JZZ-001").item.materials.count > 0)
            let site = try await api.kioskSite()
            #expect(site.openNow)
            #expect(site.hours.weekly["7"]?.first?.close == "24:00")

            // Unknown item: the server's 404, typed, with its bilingual message.
            await #expect { try await api.item(code: "NOPE-999") } throws: { error in
                guard let error = error as? WindowClientError else { return false }
                return error.kind == .server && error.status == 404 && error.code == "not_found" && error.message.contains("NOPE-999")
            }
            await #expect { try await api.takeTicket(.init(item: "JZZ-001", idNumber: "110101199001011230")) } throws: {
                ($0 as? WindowClientError)?.code == "invalid_id_number"
            }
            await #expect { try await api.takeTicket(.init(item: "JZZ-001", priorityReason: .elderly, idNumber: ResidentID.withCheckDigit("31010119900307123"))) } throws: {
                ($0 as? WindowClientError)?.code == "priority_not_allowed"
            }
            #expect(try await api.currentTicket() == nil)

            live.start()
            var events = live.events.makeAsyncIterator()
            #expect(await next(&events) { $0 == .connected } != nil)
            #expect(await next(&events) { $0 == .message(.idle) } != nil)

            let ticket = try await api.takeTicket(.init(item: "JZZ-001", priorityReason: .elderly, idNumber: ResidentID.withCheckDigit("11010519491231002")))
            #expect(ticket.number.hasPrefix("R"))
            #expect(ticket.priorityClass == .priority)
            #expect(ticket.idNumberMasked == ResidentID.mask(ResidentID.withCheckDigit("11010519491231002")))
            let pushed = await next(&events) { if case .message(.ticket(let t)) = $0 { t.id == ticket.id } else { false } }
            #expect(pushed != nil)
            #expect(try await api.currentTicket()?.id == ticket.id)
            await #expect { try await api.takeTicket(.init(item: "JZZ-002")) } throws: { ($0 as? WindowClientError)?.code == "kiosk_has_ticket" }

            let left = try await api.leaveTicket(id: ticket.id)
            #expect(left.state == .cancelled)
            let cancelled = await next(&events) { if case .message(.ticket(let t)) = $0 { t.state == .cancelled } else { false } }
            #expect(cancelled != nil)
            #expect(try await api.ticket(id: ticket.id).state == .cancelled)
            await #expect { try await api.leaveTicket(id: ticket.id) } throws: { ($0 as? WindowClientError)?.status == 404 }
        } catch {
            Issue.record("\(error)")
        }
        await live.stop()
        await api.shutdown()
        await server.stop()
    }

    @Test("a server it cannot verify is refused, over HTTPS and WSS")
    func untrusted() async throws {
        let server = try InProcessServer()
        try await server.start()
        let other = try InProcessServer()
        try await other.start()  // a second development CA
        let wrong = try ServerEndpoint(url: "https://localhost:\(server.port)", caPEM: other.caPEM)
        let api = WindowAPI(endpoint: wrong, credential: nil)
        await #expect { try await api.categories() } throws: { ($0 as? WindowClientError)?.kind == .untrusted }
        await api.shutdown()
        // The right CA but the wrong host name: also refused.
        let wrongHost = try ServerEndpoint(url: "https://127.0.0.2:\(server.port)", caPEM: server.caPEM)
        let api2 = WindowAPI(endpoint: wrongHost, credential: nil)
        await #expect { try await api2.categories() } throws: { error in
            let kind = (error as? WindowClientError)?.kind
            return kind == .untrusted || kind == .unreachable
        }
        await api2.shutdown()
        let live = LiveConnection(endpoint: wrong, credential: "rwk_x", backoff: Backoff(initial: .seconds(5), maximum: .seconds(5)))
        live.start()
        var events = live.events.makeAsyncIterator()
        let first = await events.next()
        if case .disconnected(let error, _) = first {
            #expect(error.kind == .untrusted)
        } else {
            Issue.record("expected a refusal, got \(String(describing: first))")
        }
        await live.stop()
        await server.stop()
        await other.stop()
    }

    @Test("no server: a clear 'unreachable', quickly")
    func unreachable() async throws {
        let server = try InProcessServer()
        try await server.start()
        let endpoint = try server.endpoint()
        await server.stop()
        let api = WindowAPI(endpoint: endpoint, credential: nil)
        let started = ContinuousClock.now
        await #expect { try await api.categories() } throws: { error in
            guard let error = error as? WindowClientError else { return false }
            return error.kind == .unreachable && error.message.contains("无法连接服务器")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        await api.shutdown()
    }

    @Test("the live connection reconnects by itself when the server comes back, and the ticket is kept")
    func reconnects() async throws {
        let server = try InProcessServer()
        try await server.start()
        let credential = try await server.makeKiosk()
        let api = WindowAPI(endpoint: try server.endpoint(), credential: credential)
        let ticket = try await api.takeTicket(.init(item: "JZZ-001"))
        await api.shutdown()
        let live = LiveConnection(endpoint: try server.endpoint(), credential: credential, backoff: Backoff(initial: .milliseconds(100), maximum: .milliseconds(500)))
        live.start()
        var events = live.events.makeAsyncIterator()
        #expect(await next(&events) { $0 == .connected } != nil)
        #expect(await next(&events) { if case .message(.ticket(let t)) = $0 { t.id == ticket.id } else { false } } != nil)

        await server.stop()
        let dropped = await next(&events) { if case .disconnected = $0 { true } else { false } }
        #expect(dropped != nil)

        try await server.start()  // same port, same data
        #expect(await next(&events, timeout: .seconds(20)) { $0 == .connected } != nil)
        let again = await next(&events) { if case .message(.ticket(let t)) = $0 { t.id == ticket.id } else { false } }
        if case .message(.ticket(let view)) = again {
            #expect(view.state == .waiting)
        } else {
            Issue.record("the ticket was not pushed after reconnecting")
        }
        await live.stop()
        await server.stop()
    }
}
