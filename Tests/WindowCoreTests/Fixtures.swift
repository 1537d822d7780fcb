import Foundation
import WindowCore

enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shippedCatalog = repositoryRoot.appendingPathComponent("catalog/items.json")

    static func item(_ code: String = "JZZ-001", category: String = "residence") -> CatalogItem {
        CatalogItem(
            code: code,
            name: .init(zh: "居住证新办", en: "Residence permit: new application"),
            department: "sh-psb",
            category: category,
            expectedMinutes: 5,
            needsMaterials: true,
            materials: [.init(name: .init(zh: "居民身份证", en: "Resident identity card"), form: .original, required: true)],
            conditions: .init(zh: "在本市居住登记满半年。", en: "Registered as resident for six months."),
            fee: .init(yuan: 0, note: .init(zh: "不收费", en: "Free of charge")),
            legalBasis: .init(zh: "《居住证暂行条例》", en: "Interim Regulations on Residence Permits"),
            result: .init(name: .init(zh: "居住证", en: "Residence permit"), kind: .license, delivery: [.onSite]),
            guide: .init(zh: "视频核验后当场受理。", en: "Accepted on the spot after a video check."),
            status: .active
        )
    }

    static func document(items: [CatalogItem] = [item()]) -> CatalogDocument {
        CatalogDocument(
            departments: [.init(code: "sh-psb", name: .init(zh: "上海市公安局", en: "Shanghai Municipal Public Security Bureau"))],
            categories: [
                .init(code: "residence", letter: "R", name: .init(zh: "居住证与居住登记", en: "Residence permit and registration")),
                .init(code: "social-insurance", letter: "S", name: .init(zh: "社会保险", en: "Social insurance")),
            ],
            items: items
        )
    }

    /// The document as a JSON object, for edits the typed model cannot express (missing keys, bad enums).
    static func jsonObject(_ document: CatalogDocument) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as! [String: Any]
    }

    static func data(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }
}
