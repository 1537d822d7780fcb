import Foundation
import HummingbirdOTP
import Synchronization
import Testing

@testable import WindowServer

/// H2, M2, M3, M4: sign-in under concurrency, replayed codes, enumeration and floods.
@Suite("sign-in guard")
struct SignInGuardTests {
    @Test("H2: 40 concurrent sign-ins, 39 wrong and the right one last: the lock holds, the right one is refused")
    func concurrentGuessesCannotBeatTheLock() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            _ = try await QueueFixture(server: server)
            let statuses = try await withThrowingTaskGroup(of: (Bool, Int).self) { group in
                for index in 0..<40 {
                    let right = index == 39
                    group.addTask {
                        let password = right ? "correct horse battery" : "wrong password \(index)"
                        let reply = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": password])
                        return (right, reply.status)
                    }
                }
                var all: [(Bool, Int)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(!statuses.contains { $0.1 == 200 }, "a sign-in got through: \(statuses)")
            #expect(statuses.filter { $0.1 == 401 }.count <= 4, "more than four guesses were checked: \(statuses)")
            #expect(statuses.allSatisfy { [401, 423, 429].contains($0.1) })
            let after = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "correct horse battery"])
            #expect(after.status == 423)
        }
    }

    @Test("M3: a missing name answers exactly like an existing one, to the lock")
    func missingNamesAnswerAlike() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            _ = try await QueueFixture(server: server)
            func run(_ username: String) async throws -> [String] {
                var answers: [String] = []
                for _ in 0..<6 {
                    let reply = try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": username, "password": "wrong password"])
                    let code = (reply.json["error"] as? [String: Any])?["code"] as? String ?? "?"
                    answers.append("\(reply.status) \(code)")
                }
                return answers
            }
            let existing = try await run("wang")
            let missing = try await run("nobody-here")
            #expect(existing == missing)
            #expect(existing.last == "423 account_locked")
        }
    }

    @Test("M3: a flood from one address locks the name for that address only")
    func lockIsPerAddress() async throws {
        let guard_ = LoginGuard()
        for _ in 0..<5 {
            _ = try? await guard_.attempt(username: "admin", address: "192.0.2.1", check: { false }, failed: { !$0 })
        }
        await #expect(throws: LoginGuard.Refusal.self) {
            _ = try await guard_.attempt(username: "admin", address: "192.0.2.1", check: { true }, failed: { !$0 })
        }
        let elsewhere = try await guard_.attempt(username: "ADMIN", address: "198.51.100.7", check: { true }, failed: { !$0 })
        #expect(elsewhere.failures == 0)
        // Spraying many names from one address trips the address limit (429) before any lock elsewhere.
        for index in 0..<20 {
            _ = try? await guard_.attempt(username: "name\(index)", address: "203.0.113.9", check: { false }, failed: { !$0 })
        }
        await #expect(throws: LoginGuard.Refusal.tooManyAttempts(retryAfter: 900)) {
            _ = try await guard_.attempt(username: "admin", address: "203.0.113.9", check: { true }, failed: { !$0 })
        }
    }

    @Test("M4: a flood of sign-ins for unknown names is refused quickly with 429 and Retry-After; bcrypt work is bounded")
    func floodIsBounded() async throws {
        let data = try TemporaryDirectory()
        var limits = SignInLimits()
        limits.concurrentChecks = 2
        limits.waitingChecks = 4
        try await TestServer.with(dataDirectory: data.url, adjust: { $0.signIn = limits; $0.passwordCost = 12 }) { server in
            let replies = try await withThrowingTaskGroup(of: TestServer.Reply.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "ghost\(index)", "password": "some password"])
                    }
                }
                var all: [TestServer.Reply] = []
                for try await reply in group { all.append(reply) }
                return all
            }
            let limited = replies.filter { $0.status == 429 }
            let checked = replies.filter { $0.status == 401 }
            #expect(limited.count + checked.count == 60)
            #expect(!limited.isEmpty)
            for reply in limited {
                #expect(Int(reply.header("Retry-After") ?? "") ?? 0 >= 1)
                #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "rate_limited")
            }
        }
    }

    @Test("M4: never more password checks at once than the bound; beyond checks and waiting places, refused at once")
    func checksAreBounded() async throws {
        var limits = SignInLimits()
        limits.concurrentChecks = 2
        limits.waitingChecks = 3
        limits.failuresPerAddress = 1000
        let guard_ = LoginGuard(settings: limits)
        let inFlight = InFlight()
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        // Each check takes a while, so all twenty arrive while the first are still checking.
                        _ = try await guard_.attempt(username: "ghost\(index)", address: "192.0.2.1", check: {
                            inFlight.enter()
                            try? await Task.sleep(for: .milliseconds(400))
                            inFlight.leave()
                            return false
                        }, failed: { !$0 })
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var checked: [Bool] = []
            for await result in group { checked.append(result) }
            return checked
        }
        #expect(results.filter { $0 }.count == limits.concurrentChecks + limits.waitingChecks)
        #expect(inFlight.peak <= limits.concurrentChecks)
    }

    final class InFlight: Sendable {
        private let state = Mutex((now: 0, peak: 0))
        func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
    }

    @Test("M2: a TOTP code signs in once; no sign or padding; the next step's code works")
    func totpCodesAreSpent() async throws {
        let data = try TemporaryDirectory()
        try await TestServer.with(dataDirectory: data.url) { server in
            let fixture = try await QueueFixture(server: server)
            let token = fixture.clerkTokens["wang"]!
            let setup = try await server.call(.POST, "/api/v1/auth/totp/setup", token: token)
            let secret = try #require(setup.json["secret"] as? String)
            let code = { (date: Date) in String(format: "%06d", TOTP(secret: secret).compute(date: date)) }
            let enabled = try await server.call(.POST, "/api/v1/auth/totp/enable", token: token, json: ["code": code(Date())])
            #expect(enabled.status == 200)
            func login(_ totp: String) async throws -> Int {
                try await server.call(.POST, "/api/v1/auth/login", token: nil, json: ["username": "wang", "password": "correct horse battery", "totp": totp]).status
            }
            let now = Date()
            #expect(try await login("+" + code(now)) == 401)
            #expect(try await login("00" + code(now)) == 401)
            #expect(try await login(code(now)) == 200)
            #expect(try await login(code(now)) == 401, "a spent code signed in again")
            #expect(try await login(code(now.addingTimeInterval(30))) == 200)
        }
    }
}
