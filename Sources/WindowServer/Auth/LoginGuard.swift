import Foundation

/// The numbers of the sign-in guard; every one has a default.
public struct SignInLimits: Sendable {
    /// Failures in a row for one name from one address that lock it there, and for how long.
    public var lockAfter = 5
    public var lockFor: TimeInterval = 15 * 60
    /// From this many failures in a row, each answer is delayed a second more.
    public var slowDownAfter = 3
    /// Failures one address may have across all names in `addressWindow` before it gets 429.
    public var failuresPerAddress = 20
    public var addressWindow: TimeInterval = 15 * 60
    /// Password checks at once, and waiting for a turn; beyond both, 429 at once.
    public var concurrentChecks = 4
    public var waitingChecks = 8

    public init() {}
}

/// What stands between a sign-in attempt and bcrypt:
///
/// - Attempts for one account from one address run one at a time, so the lock check, the
///   password check and the failure count are one step: concurrent guesses cannot slip past a lock.
/// - Failures lock that account *for that address*, whether the account exists or not (the two
///   answer alike), so a flood from one address cannot lock anyone out elsewhere.
/// - Each address may fail only so often across all names, which stops spraying and enumeration.
/// - Password checks in flight are bounded; beyond the bound the excess is refused at once (429),
///   so bcrypt cannot be exhausted by requests for names that do not exist.
///
/// Kept in memory: a restart lifts locks, as a password reset does.
/// (The numbers are ``SignInLimits``, a server setting.)
actor LoginGuard {
    typealias Settings = SignInLimits

    enum Refusal: Error, Equatable {
        case locked(until: Date)
        case tooManyAttempts(retryAfter: Int)
    }

    private struct Attempts {
        var failures = 0
        var lockedUntil: Date?
    }

    let settings: Settings
    private let now: @Sendable () -> Date
    private var attempts: [String: Attempts] = [:]
    private var addressFailures: [String: [Date]] = [:]
    private var busyKeys: Set<String> = []
    private var keyWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var spentTOTPSteps: [Int64: Int64] = [:]
    private var checking = 0
    private var checkWaiters: [CheckedContinuation<Void, Never>] = []

    init(settings: Settings = Settings(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.now = now
    }

    static func key(username: String, address: String) -> String {
        username.lowercased() + "|" + address
    }

    /// Runs one sign-in attempt for `username` from `address`: `check` checks the password (and
    /// second factor); `failed` says whether its outcome counts as a failure.
    /// - Throws: ``Refusal`` without calling `check` when the address or the pair is locked out or
    ///   the checks are saturated; ``Refusal/locked(until:)`` when this failure locks the pair.
    /// - Returns: the outcome, and the failures in a row so far (0 when it passed).
    func attempt<Outcome: Sendable>(
        username: String, address: String, check: @Sendable () async throws -> Outcome, failed: @Sendable (Outcome) -> Bool
    ) async throws -> (outcome: Outcome, failures: Int) {
        let current = now()
        if let retry = addressRetryAfter(address, at: current) { throw Refusal.tooManyAttempts(retryAfter: retry) }
        guard checking + checkWaiters.count < settings.concurrentChecks + settings.waitingChecks else {
            throw Refusal.tooManyAttempts(retryAfter: 1)
        }
        let key = Self.key(username: username, address: address)
        await acquire(key)
        defer { release(key) }
        if let until = attempts[key]?.lockedUntil, until > now() { throw Refusal.locked(until: until) }
        await startCheck()
        let outcome: Outcome
        do {
            outcome = try await check()
        } catch {
            endCheck()
            throw error
        }
        endCheck()
        guard failed(outcome) else {
            attempts[key] = nil
            return (outcome, 0)
        }
        let at = now()
        addressFailures[address, default: []].append(at)
        var record = attempts[key] ?? Attempts()
        record.failures += 1
        if record.failures >= settings.lockAfter {
            record = Attempts(failures: 0, lockedUntil: at.addingTimeInterval(settings.lockFor))
            attempts[key] = record
            throw Refusal.locked(until: record.lockedUntil!)
        }
        attempts[key] = record
        if attempts.count > 100_000 { attempts = attempts.filter { $0.value.lockedUntil.map { $0 > at } ?? false } }
        return (outcome, record.failures)
    }

    /// A TOTP code signs in once: its 30-second step is spent for the account.
    /// - Returns: false when that step (or a later one) was already used.
    func spendTOTPStep(account: Int64, step: Int64) -> Bool {
        guard step > (spentTOTPSteps[account] ?? .min) else { return false }
        spentTOTPSteps[account] = step
        return true
    }

    /// A password reset lifts every lock on the name.
    func clear(username: String) {
        let prefix = username.lowercased() + "|"
        attempts = attempts.filter { !$0.key.hasPrefix(prefix) }
    }

    private func addressRetryAfter(_ address: String, at: Date) -> Int? {
        let recent = (addressFailures[address] ?? []).filter { at.timeIntervalSince($0) < settings.addressWindow }
        addressFailures[address] = recent.isEmpty ? nil : recent
        guard recent.count >= settings.failuresPerAddress, let oldest = recent.first else { return nil }
        return max(1, Int((settings.addressWindow - at.timeIntervalSince(oldest)).rounded(.up)))
    }

    private func acquire(_ key: String) async {
        if busyKeys.insert(key).inserted { return }
        await withCheckedContinuation { keyWaiters[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        if var waiters = keyWaiters[key], !waiters.isEmpty {
            let next = waiters.removeFirst()
            keyWaiters[key] = waiters.isEmpty ? nil : waiters
            next.resume()  // the key passes to the next attempt, still busy
        } else {
            busyKeys.remove(key)
        }
    }

    private func startCheck() async {
        if checking < settings.concurrentChecks {
            checking += 1
            return
        }
        await withCheckedContinuation { checkWaiters.append($0) }
    }

    private func endCheck() {
        if checkWaiters.isEmpty {
            checking -= 1
        } else {
            checkWaiters.removeFirst().resume()  // the slot passes on
        }
    }
}
