import Foundation
import GRDB
import WindowCore

/// Brings a database seeded with a format-1 catalog to format 2: departments become a table of
/// their own, `onTheSpot` becomes a handling type, and the elements format 1 lacked get the values
/// that state nothing new (no visits, the 12345 hotline, results handed over on the spot). The
/// upgraded catalog becomes version 1; managers correct it in a draft.
enum CatalogFormatUpgrade {
    static func upgrade(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT code, document FROM catalogItem ORDER BY position")
        guard !rows.isEmpty else { return }  // a new database is seeded in format 2
        var departments: [Department] = []
        func departmentCode(_ name: JSONValue?) -> String {
            guard case .object(let text)? = name, case .string(let zh)? = text["zh"] else { return "unknown" }
            if let known = departments.first(where: { $0.name.zh == zh }) { return known.code }
            var en = zh
            if case .string(let english)? = text["en"] { en = english }
            let code = "dept-\(departments.count + 1)"
            departments.append(Department(code: code, name: LocalizedText(zh: zh, en: en)))
            return code
        }
        func upgraded(_ data: Data) throws -> Data {
            guard case .object(var item) = try JSONDecoder().decode(JSONValue.self, from: data) else { return data }
            if item["handlingType"] != nil { return data }
            let onTheSpot = item.removeValue(forKey: "onTheSpot") != .bool(false)
            item["department"] = .string(departmentCode(item["department"]))
            item["departmentRole"] = .string("statutory")
            item["handlingType"] = .string(onTheSpot ? "immediate" : "promised")
            item["legalTimeLimit"] = .object(["days": .number(0), "unit": .string("workingDays")])
            item["promisedTimeLimit"] = .object(["days": .number(onTheSpot ? 0 : 1), "unit": .string("workingDays")])
            item["visits"] = .number(0)
            item["result"] = .object(["name": item["name"] ?? .null, "kind": .string("other"), "delivery": .array([.string("onSite")])])
            item["consultPhone"] = .string("12345")
            item["complaintPhone"] = .string("12345")
            item["faq"] = .array([])
            var mustBring = false
            if case .array(let materials)? = item["materials"] {
                item["materials"] = .array(materials.map { material in
                    guard case .object(var fields) = material else { return material }
                    fields["copies"] = .number(1)
                    fields["medium"] = .string("paper")
                    fields["source"] = .string("applicant")
                    fields["blankForm"] = .bool(false)
                    fields["sample"] = .bool(false)
                    if fields["required"] == .bool(true) { mustBring = true }
                    return .object(fields)
                })
            }
            item["needsMaterials"] = .bool(mustBring)
            return try CatalogCoding.encoder.encode(JSONValue.object(item))
        }

        var items: [CatalogItem] = []
        for row in rows {
            let code: String = row["code"]
            let document = try upgraded(row["document"])
            try db.execute(sql: "UPDATE catalogItem SET document = ? WHERE code = ?", arguments: [document, code])
            items.append(try CatalogCoding.decoder.decode(CatalogItem.self, from: document))
        }
        for row in try Row.fetchAll(db, sql: "SELECT code, version, document FROM catalogItemVersion") {
            let code: String = row["code"]
            let version: Int = row["version"]
            try db.execute(
                sql: "UPDATE catalogItemVersion SET document = ? WHERE code = ? AND version = ?",
                arguments: [try upgraded(row["document"]), code, version])
        }
        let categories = try CategoryRecord.order(CategoryRecord.Columns.position).fetchAll(db).map(\.category)
        let document = CatalogDocument(departments: departments, categories: categories, items: items)
        try CatalogVersionRecord(
            number: 1, document: try CatalogCoding.encoder.encode(document), publishedAt: Date(), publishedBy: "upgrade",
            approvedBy: nil, draftID: nil, note: "目录升级为格式 2 / catalog upgraded to format 2", kind: CatalogVersionKind.upgrade.rawValue
        ).insert(db)
    }
}
