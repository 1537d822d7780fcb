import Foundation
import Hummingbird
import WindowAPITypes
import WindowCore
import WindowStore

/// Managers handle 差评 and 补正 cases. Clerks have no access: a clerk cannot learn who rated them low.
struct FollowUpController {
    let database: AppDatabase
    let followUps: FollowUpService

    func addRoutes(to router: Router<AppRequestContext>) {
        let managers = router.group("/api/v1/follow-ups", context: ManagerContext.self)
        managers.get(use: list)
        managers.get("/{id}", use: show)
        managers.post("/{id}/{action}", use: step)
        // A kiosk looks up the 补正 a worker brings back: its item, what was missing, until when.
        router.group("/api/v1/kiosk/corrections", context: KioskContext.self).get("/{reference}", use: correction)
    }

    func correction(_ request: Request, context: KioskContext) async throws -> KioskCorrectionView {
        let reference = try context.parameters.require("reference")
        guard reference.count <= 40, let found = try await database.correction(caseNumber: reference) else {
            throw APIError.notFound("correction \(reference)", zh: "补正编号 \(reference) ").with(code: .correctionNotFound)
        }
        // Checked as a take would check it: the right answer before the worker queues.
        let open = try await followUps.correctionToReturn(reference: reference, item: found.itemCode)
        return KioskCorrectionView(reference: reference, item: open.itemCode, itemVersion: open.itemVersion, missing: open.missing, returnBy: open.returnBy)
    }

    func names() async throws -> [ClerkID: String] {
        try await database.clerkNames()
    }

    /// `?kind=rating|correction&state=open|overdue|all` (default open).
    func list(_ request: Request, context: ManagerContext) async throws -> FollowUpList {
        let query = request.uri.queryParameters
        let kind = try query["kind"].map { text in
            guard let kind = FollowUpCase.Kind(rawValue: String(text)) else {
                throw APIError.badRequest(code: .invalidQuery, "kind 应为 rating 或 correction / kind: rating or correction")
            }
            return kind
        }
        let state = query["state"].map(String.init) ?? "open"
        guard ["open", "overdue", "all"].contains(state) else {
            throw APIError.badRequest(code: .invalidQuery, "state 应为 open、overdue 或 all / state: open, overdue or all")
        }
        return try await followUps.list(kind: kind, open: state != "all", overdueOnly: state == "overdue", names: try await names())
    }

    func show(_ request: Request, context: ManagerContext) async throws -> FollowUpView {
        try await followUps.view(try Self.id(context.parameters), for: try await accountName(context), names: try await names())
    }

    func step(_ request: Request, context: ManagerContext) async throws -> FollowUpView {
        let id = try Self.id(context.parameters)
        let action = try context.parameters.require("action")
        let body = try await request.decode(as: FollowUpStepRequest.self, context: context)
        try TextRules.validate(body.note, field: "note", multiline: true)
        guard (body.note?.count ?? 0) <= 2000 else { throw APIError.badRequest(code: .invalidNotes, "说明过长（最多2000字） / note too long (max 2000)") }
        let person = try await accountName(context)
        _ = try await followUps.step(id, action: action, body: body, by: person)
        return try await followUps.view(id, for: person, names: try await names())
    }

    func accountName(_ context: ManagerContext) async throws -> AccountName {
        try await database.accountName(context.account)
    }

    static func id(_ parameters: Parameters) throws -> Int64 {
        let text = try parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("follow-up \(text)", zh: "回访件 \(text) ") }
        return id
    }
}

extension FollowUpList: ResponseEncodable {}
extension KioskCorrectionView: ResponseEncodable {}
extension FollowUpView: ResponseEncodable {}

/// Call-back numbers as people write them: a mobile number, or a landline with its area code.
enum PhoneRules {
    static func normalized(_ text: String) -> String? {
        let phone = text.filter { !$0.isWhitespace }
        let digits = phone.filter(\.isNumber)
        guard phone.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "-" }) else { return nil }
        if digits.count == 11, digits.hasPrefix("1"), let second = digits.dropFirst().first, "3456789".contains(second), phone == digits { return digits }
        if digits.hasPrefix("0"), (10...12).contains(digits.count) { return phone }
        return nil
    }
}
