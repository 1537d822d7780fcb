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
        // 即办件 but for the item the seed names, which is by law accepted now and produced later.
        let promised = document.items.filter { $0.handlingType == .promised }.map(\.code)
        #expect(promised.contains("JZZ-001"))
        #expect(promised.count <= 3)
        #expect(document.items.allSatisfy { $0.visits == 0 })
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
        expectRefused(try problems(Fixtures.document(items: [empty])), item: "JZZ-001", field: "needsMaterials")

        var optionalOnly = Fixtures.item()
        optionalOnly.materials[0].required = false
        expectRefused(try problems(Fixtures.document(items: [optionalOnly])), item: "JZZ-001", field: "needsMaterials")

        // The other way round: "no materials" while an ID card must be brought.
        var claimsNone = Fixtures.item()
        claimsNone.needsMaterials = false
        expectRefused(try problems(Fixtures.document(items: [claimsNone])), item: "JZZ-001", field: "needsMaterials")
        // A required material obtained by data sharing (免提交) is not brought.
        claimsNone.materials[0].source = .dataSharing
        #expect(try problems(Fixtures.document(items: [claimsNone])).isEmpty)

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

    @Test("即办件 promise nothing later and give the result during the call; 承诺件 promise within the legal limit")
    func handlingTypes() throws {
        var immediate = Fixtures.item()
        immediate.promisedTimeLimit = TimeLimit(days: 5, unit: .workingDays)
        expectRefused(try problems(Fixtures.document(items: [immediate])), item: "JZZ-001", field: "promisedTimeLimit.days")
        immediate = Fixtures.item()
        immediate.result.delivery = [.mail]
        expectRefused(try problems(Fixtures.document(items: [immediate])), item: "JZZ-001", field: "result.delivery")

        var promised = Fixtures.item()
        promised.handlingType = .promised
        expectRefused(try problems(Fixtures.document(items: [promised])), item: "JZZ-001", field: "promisedTimeLimit.days")
        promised.legalTimeLimit = TimeLimit(days: 15, unit: .workingDays)
        promised.promisedTimeLimit = TimeLimit(days: 20, unit: .workingDays)
        expectRefused(try problems(Fixtures.document(items: [promised])), item: "JZZ-001", field: "promisedTimeLimit.days")
        promised.promisedTimeLimit = TimeLimit(days: 7, unit: .workingDays)
        promised.result.delivery = [.mail]
        #expect(try problems(Fixtures.document(items: [promised])).isEmpty)
    }

    @Test("a fee needs its basis; a remote window item needs no visit; phones, dates, codes and copies are checked")
    func guideElements() throws {
        var item = Fixtures.item()
        item.fee = Fee(yuan: 20, note: LocalizedText(zh: "工本费", en: "Card fee"))
        expectRefused(try problems(Fixtures.document(items: [item])), item: "JZZ-001", field: "fee.basis")
        item.fee.basis = LocalizedText(zh: "沪价费〔2017〕1号", en: "Shanghai price notice")
        #expect(try problems(Fixtures.document(items: [item])).isEmpty)

        let cases: [(String, (inout CatalogItem) -> Void)] = [
            ("visits", { $0.visits = 1 }),
            ("consultPhone", { $0.consultPhone = "call 12345" }),
            ("complaintPhone", { $0.complaintPhone = "" }),
            ("effectiveFrom", { $0.effectiveFrom = "2026-02-30" }),
            ("basicCode", { $0.basicCode = "编码" }),
            ("implementationCode", { $0.implementationCode = "" }),
            ("materials[0].copies", { $0.materials[0].copies = 0 }),
            ("department", { $0.department = "sh-nowhere" }),
            ("faq[0].answer.en", { $0.faq = [FAQEntry(question: LocalizedText(zh: "问", en: "Q"), answer: LocalizedText(zh: "答", en: ""))] }),
            ("result.delivery", { $0.result.delivery = [] }),
            ("result.name.zh", { $0.result.name.zh = " " }),
        ]
        for (field, change) in cases {
            var bad = Fixtures.item()
            change(&bad)
            expectRefused(try problems(Fixtures.document(items: [bad])), item: "JZZ-001", field: field)
        }
        var dated = Fixtures.item()
        dated.effectiveFrom = "2024-02-29"
        dated.basicCode = "000107002000"
        #expect(try problems(Fixtures.document(items: [dated])).isEmpty)
    }

    @Test("every department is named once and used; an unknown one is refused")
    func departments() throws {
        var document = Fixtures.document()
        document.departments.append(Department(code: "sh-unused", name: LocalizedText(zh: "未使用", en: "Unused")))
        expectRefused(try problems(document), item: nil, field: "departments[1]")
        document.departments[1] = document.departments[0]
        expectRefused(try problems(document), item: nil, field: "departments[1].code")
    }

    @Test("field-level diff and three-way rebase")
    func diffAndRebase() throws {
        let base = Fixtures.document()
        var draft = base
        draft.items[0].expectedMinutes = 9
        draft.items[0].materials[0].name.en = "ID card"
        var current = base
        current.items[0].guide.zh = "新指南。"
        current.items[0].expectedMinutes = 7
        let changes = CatalogDiff.changes(from: base, to: draft)
        #expect(changes.map(\.field) == ["expectedMinutes", "materials[0].name.en"])
        #expect(changes[1].label.zh == "申请材料 [0].name.en")

        let refused = try CatalogDiff.rebase(draft: draft, base: base, current: current, resolution: nil)
        #expect(refused.merged == nil && refused.conflicts.map(\.field) == ["expectedMinutes"])
        let mine = try #require(try CatalogDiff.rebase(draft: draft, base: base, current: current, resolution: .draft).merged)
        #expect(mine.items[0].expectedMinutes == 9 && mine.items[0].guide.zh == "新指南。" && mine.items[0].materials[0].name.en == "ID card")
        let theirs = try #require(try CatalogDiff.rebase(draft: draft, base: base, current: current, resolution: .current).merged)
        #expect(theirs.items[0].expectedMinutes == 7 && theirs.items[0].materials[0].name.en == "ID card")
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
        document.format = 1
        expectRefused(try problems(document), item: nil, field: "format")
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
