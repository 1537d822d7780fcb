import Foundation
import Testing
import WindowCore

@Suite("catalog validation")
struct CatalogValidationTests {
    /// Loads `document` and returns the problems it was refused with (none when it loaded).
    func problems(_ document: CatalogDocument) throws -> [CatalogProblem] {
        try problems(JSONEncoder().encode(document))
    }

    func problems(_ data: Data) -> [CatalogProblem] {
        do {
            _ = try CatalogDocument.load(json: data)
            return []
        } catch {
            return error.problems
        }
    }

    func expectRefused(_ found: [CatalogProblem], item: String?, field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            found.contains { $0.item == item && $0.field == field },
            "expected a problem at item \(item ?? "-") field \(field), got \(found)",
            sourceLocation: sourceLocation
        )
    }

    @Test("the shipped catalog has 70 valid items, every category used")
    func shippedCatalog() throws {
        let document = try CatalogDocument.load(json: Data(contentsOf: Fixtures.shippedCatalog))
        #expect(document.items.count == 70)
        #expect(document.items.allSatisfy { $0.onTheSpot })
        let used = Set(document.items.map(\.category))
        #expect(used == Set(document.categories.map(\.code)))
        #expect(document.items.contains { $0.name.zh == "居住证新办" })
    }

    @Test("a valid document loads")
    func validDocument() throws {
        #expect(try problems(Fixtures.document()).isEmpty)
    }

    @Test("duplicate item codes are refused")
    func duplicateCodes() throws {
        let found = try problems(Fixtures.document(items: [Fixtures.item("JZZ-001"), Fixtures.item("JZZ-001")]))
        expectRefused(found, item: "JZZ-001", field: "code")
        #expect(found.first?.message.contains("duplicate") == true)
    }

    @Test("malformed item codes are refused", arguments: ["", "jzz-001", "JZZ001", "J-001", "JZZZZ-001", "JZZ-01", "JZZ-0001"])
    func badCodes(code: String) throws {
        let found = try problems(Fixtures.document(items: [Fixtures.item(code)]))
        expectRefused(found, item: "#1", field: "code")
    }

    @Test("a missing or blank Chinese name is refused")
    func missingChineseName() throws {
        var blank = Fixtures.item()
        blank.name.zh = "  "
        expectRefused(try problems(Fixtures.document(items: [blank])), item: "JZZ-001", field: "name.zh")

        var object = try Fixtures.jsonObject(Fixtures.document(items: [Fixtures.item(), Fixtures.item("JZZ-002")]))
        var items = object["items"] as! [[String: Any]]
        var name = items[1]["name"] as! [String: Any]
        name.removeValue(forKey: "zh")
        items[1]["name"] = name
        object["items"] = items
        let found = problems(try Fixtures.data(object))
        expectRefused(found, item: "JZZ-002", field: "name.zh")
    }

    @Test("blank English text is refused too")
    func missingEnglish() throws {
        var item = Fixtures.item()
        item.guide.en = ""
        expectRefused(try problems(Fixtures.document(items: [item])), item: "JZZ-001", field: "guide.en")
    }

    @Test("an unknown category is refused")
    func unknownCategory() throws {
        let found = try problems(Fixtures.document(items: [Fixtures.item(category: "astrology")]))
        expectRefused(found, item: "JZZ-001", field: "category")
    }

    @Test("expected minutes out of range are refused", arguments: [-5, 0, 61, 1000])
    func minutesOutOfRange(minutes: Int) throws {
        var item = Fixtures.item()
        item.expectedMinutes = minutes
        expectRefused(try problems(Fixtures.document(items: [item])), item: "JZZ-001", field: "expectedMinutes")
    }

    @Test("minutes at the bounds are fine", arguments: [1, 60])
    func minutesAtBounds(minutes: Int) throws {
        var item = Fixtures.item()
        item.expectedMinutes = minutes
        #expect(try problems(Fixtures.document(items: [item])).isEmpty)
    }

    @Test("an item that needs materials must list them, with at least one required")
    func materialsNeeded() throws {
        var empty = Fixtures.item()
        empty.materials = []
        expectRefused(try problems(Fixtures.document(items: [empty])), item: "JZZ-001", field: "materials")

        var optionalOnly = Fixtures.item()
        optionalOnly.materials[0].required = false
        expectRefused(try problems(Fixtures.document(items: [optionalOnly])), item: "JZZ-001", field: "materials")

        var query = Fixtures.item()
        query.needsMaterials = false
        query.materials = []
        #expect(try problems(Fixtures.document(items: [query])).isEmpty)
    }

    @Test("a material without a Chinese name is refused")
    func materialName() throws {
        var item = Fixtures.item()
        item.materials.append(.init(name: .init(zh: "", en: "Photo"), form: .copy, required: false))
        expectRefused(try problems(Fixtures.document(items: [item])), item: "JZZ-001", field: "materials[1].name.zh")
    }

    @Test("an unknown material form is refused, naming the item by its code")
    func badForm() throws {
        var object = try Fixtures.jsonObject(Fixtures.document())
        var items = object["items"] as! [[String: Any]]
        var materials = items[0]["materials"] as! [[String: Any]]
        materials[0]["form"] = "photocopy"
        items[0]["materials"] = materials
        object["items"] = items
        expectRefused(problems(try Fixtures.data(object)), item: "JZZ-001", field: "materials[0].form")
    }

    @Test("a missing field is refused, naming the field")
    func missingField() throws {
        var object = try Fixtures.jsonObject(Fixtures.document())
        var items = object["items"] as! [[String: Any]]
        items[0].removeValue(forKey: "legalBasis")
        object["items"] = items
        expectRefused(problems(try Fixtures.data(object)), item: "JZZ-001", field: "legalBasis")
    }

    @Test("an unknown status is refused")
    func badStatus() throws {
        var object = try Fixtures.jsonObject(Fixtures.document())
        var items = object["items"] as! [[String: Any]]
        items[0]["status"] = "maybe"
        object["items"] = items
        expectRefused(problems(try Fixtures.data(object)), item: "JZZ-001", field: "status")
    }

    @Test("a negative fee is refused")
    func negativeFee() throws {
        var item = Fixtures.item()
        item.fee.yuan = -1
        expectRefused(try problems(Fixtures.document(items: [item])), item: "JZZ-001", field: "fee.yuan")
    }

    @Test("a guide link must be https")
    func guideLink() throws {
        var item = Fixtures.item()
        item.guideURL = "http://example.invalid/guide"
        expectRefused(try problems(Fixtures.document(items: [item])), item: "JZZ-001", field: "guideURL")
        item.guideURL = "https://example.invalid/guide"
        #expect(try problems(Fixtures.document(items: [item])).isEmpty)
    }

    @Test("categories: duplicate codes and letters, bad letters are refused")
    func categories() throws {
        var document = Fixtures.document()
        document.categories.append(.init(code: "residence", letter: "X", name: .init(zh: "重复", en: "Duplicate")))
        document.categories.append(.init(code: "other", letter: "R", name: .init(zh: "字母重复", en: "Same letter")))
        document.categories.append(.init(code: "lower", letter: "r", name: .init(zh: "小写", en: "Lowercase")))
        let found = try problems(document)
        expectRefused(found, item: nil, field: "categories[2].code")
        expectRefused(found, item: nil, field: "categories[3].letter")
        expectRefused(found, item: nil, field: "categories[4].letter")
    }

    @Test("an unsupported version, no items, or not JSON at all is refused")
    func fileLevel() throws {
        var document = Fixtures.document()
        document.version = 2
        expectRefused(try problems(document), item: nil, field: "version")
        expectRefused(try problems(Fixtures.document(items: [])), item: nil, field: "items")
        let notJSON = problems(Data("{ not json".utf8))
        #expect(notJSON.count == 1)
        #expect(notJSON.first?.field == "(file)")
    }

    @Test("every problem is reported, not just the first")
    func allProblems() throws {
        var a = Fixtures.item("JZZ-001")
        a.expectedMinutes = 0
        var b = Fixtures.item("JZZ-002", category: "nope")
        b.name.zh = ""
        let found = try problems(Fixtures.document(items: [a, b]))
        #expect(found.count == 3)
    }

    @Test("search matches code and either language, ignoring case")
    func search() {
        let item = Fixtures.item()
        #expect(item.matches(query: "居住证"))
        #expect(item.matches(query: "RESIDENCE"))
        #expect(item.matches(query: "jzz-001"))
        #expect(!item.matches(query: "公积金"))
        #expect(item.matches(query: "  "))
    }
}
