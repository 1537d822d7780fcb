import Foundation

/// One thing wrong with a catalog, named by item and field so a manager can find it.
public struct CatalogProblem: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The item's code, or its position when it has no usable code; nil for file-level problems.
    public var item: String?
    /// Dotted path of the field, e.g. `name.zh` or `materials[2].form`.
    public var field: String
    public var message: String

    public init(item: String?, field: String, message: String) {
        self.item = item
        self.field = field
        self.message = message
    }

    public var description: String {
        if let item { return "item \(item), field \(field): \(message)" }
        return "field \(field): \(message)"
    }
}

/// A catalog that was refused as a whole; nothing of it is loaded.
public struct CatalogValidationError: Error, Sendable, CustomStringConvertible {
    public var problems: [CatalogProblem]

    public init(problems: [CatalogProblem]) {
        self.problems = problems
    }

    public var description: String {
        let shown = problems.prefix(20).map { "  - \($0)" }.joined(separator: "\n")
        let more = problems.count > 20 ? "\n  … and \(problems.count - 20) more" : ""
        return "目录无效，未加载 / catalog refused, nothing loaded (\(problems.count) problem(s)):\n\(shown)\(more)"
    }
}

public enum CatalogRules {
    public static let minutesRange = 1...60
    public static let maxItems = 1000

    /// Item codes look like `JZZ-001`: 2–4 capital letters, a dash, three digits.
    public static func isValidItemCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let prefix = parts[0], number = parts[1]
        return (2...4).contains(prefix.count) && prefix.allSatisfy { $0.isASCII && $0.isUppercase }
            && number.count == 3 && number.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public static let copiesRange = 1...10
    public static let maxFAQ = 10
    public static let maxTimeLimitDays = 365

    /// Department codes are lowercase words or numbers joined by dashes, e.g. `sh-hrss`.
    public static func isValidDepartmentCode(_ code: String) -> Bool {
        guard let first = code.first, first.isASCII, first.isLowercase, !code.hasSuffix("-"), code.count <= 40 else { return false }
        return code.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// Telephone numbers as printed in a guide: digits with dashes, e.g. `12345` or `021-12333`.
    public static func isValidPhone(_ phone: String) -> Bool {
        guard let first = phone.first, first.isASCII, first.isNumber, (3...20).contains(phone.count) else { return false }
        return phone.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "-" } && !phone.hasSuffix("-")
    }

    /// National codes are kept as plain strings of letters, digits and dashes.
    public static func isValidNationalCode(_ code: String) -> Bool {
        (1...64).contains(code.count) && code.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
    }

    /// Category codes are lowercase words joined by dashes, e.g. `social-insurance`.
    public static func isValidCategoryCode(_ code: String) -> Bool {
        guard let first = code.first, first.isASCII, first.isLowercase else { return false }
        return code.allSatisfy { ($0.isASCII && $0.isLowercase) || $0 == "-" } && !code.hasSuffix("-")
    }
}

extension CatalogDocument {
    /// Every problem in the document; empty when it can be loaded.
    public func problems() -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        func fail(_ item: String?, _ field: String, _ message: String) {
            problems.append(CatalogProblem(item: item, field: field, message: message))
        }

        if format != CatalogDocument.supportedFormat {
            fail(nil, "format", "文件格式 \(format) 不受支持，应为 \(CatalogDocument.supportedFormat) / unsupported format \(format), expected \(CatalogDocument.supportedFormat)")
        }
        if departments.isEmpty { fail(nil, "departments", "没有实施主体 / no departments") }
        if categories.isEmpty { fail(nil, "categories", "没有分类 / no categories") }
        if items.isEmpty { fail(nil, "items", "没有事项 / no items") }
        if items.count > CatalogRules.maxItems { fail(nil, "items", "事项超过 \(CatalogRules.maxItems) 个 / more than \(CatalogRules.maxItems) items") }

        var categoryCodes = Set<String>()
        var letters = Set<String>()
        for (index, category) in categories.enumerated() {
            let label = "categories[\(index)]"
            if !CatalogRules.isValidCategoryCode(category.code) {
                fail(nil, "\(label).code", "分类代码 \"\(category.code)\" 无效（小写字母和连字符） / invalid category code \"\(category.code)\" (lowercase letters and dashes)")
            } else if !categoryCodes.insert(category.code).inserted {
                fail(nil, "\(label).code", "分类代码 \"\(category.code)\" 重复 / duplicate category code \"\(category.code)\"")
            }
            let letter = category.letter
            if letter.count != 1 || !(letter.first!.isASCII && letter.first!.isUppercase) {
                fail(nil, "\(label).letter", "取号字母须为一个大写字母 A–Z，而非 \"\(letter)\" / letter must be one capital A–Z, got \"\(letter)\"")
            } else if !letters.insert(letter).inserted {
                fail(nil, "\(label).letter", "取号字母 \"\(letter)\" 已被其他分类使用 / letter \"\(letter)\" is used by another category")
            }
            problems += category.name.problems(item: nil, field: "\(label).name")
        }

        var departmentCodes = Set<String>()
        for (index, department) in departments.enumerated() {
            let label = "departments[\(index)]"
            if !CatalogRules.isValidDepartmentCode(department.code) {
                fail(nil, "\(label).code", "实施主体代码 \"\(department.code)\" 无效（小写字母、数字和连字符） / invalid department code \"\(department.code)\" (lowercase letters, digits and dashes)")
            } else if !departmentCodes.insert(department.code).inserted {
                fail(nil, "\(label).code", "实施主体代码 \"\(department.code)\" 重复 / duplicate department code \"\(department.code)\"")
            }
            problems += department.name.problems(item: nil, field: "\(label).name")
        }
        let usedDepartments = Set(items.map(\.department))
        for (index, department) in departments.enumerated() where !usedDepartments.contains(department.code) {
            fail(nil, "departments[\(index)]", "实施主体 \"\(department.code)\" 没有事项使用 / department \"\(department.code)\" is used by no item")
        }

        var itemCodes = Set<String>()
        for (index, item) in items.enumerated() {
            let validCode = CatalogRules.isValidItemCode(item.code)
            let label = validCode ? item.code : "#\(index + 1)"
            if !validCode {
                fail(label, "code", "事项编码 \"\(item.code)\" 无效（格式如 JZZ-001） / invalid code \"\(item.code)\" (expected like JZZ-001)")
            } else if !itemCodes.insert(item.code).inserted {
                fail(label, "code", "事项编码 \(item.code) 重复 / duplicate code \(item.code)")
            }
            problems += item.problems(label: label, knownCategories: categoryCodes, knownDepartments: departmentCodes)
        }
        return problems
    }

    /// Throws ``CatalogValidationError`` unless the document is valid.
    public func validate() throws(CatalogValidationError) {
        let problems = problems()
        if !problems.isEmpty { throw CatalogValidationError(problems: problems) }
    }
}

extension CatalogItem {
    /// Every problem of this item alone (the document's checks add codes and tables).
    public func problems(label: String, knownCategories: Set<String>, knownDepartments: Set<String>) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        func fail(_ field: String, _ message: String) {
            problems.append(CatalogProblem(item: label, field: field, message: message))
        }
        problems += name.problems(item: label, field: "name")
        problems += conditions.problems(item: label, field: "conditions")
        problems += legalBasis.problems(item: label, field: "legalBasis")
        problems += guide.problems(item: label, field: "guide")
        problems += fee.note.problems(item: label, field: "fee.note")
        problems += result.name.problems(item: label, field: "result.name")

        if !knownCategories.contains(category) {
            fail("category", "未知分类 \"\(category)\" / unknown category \"\(category)\"")
        }
        if !knownDepartments.contains(department) {
            fail("department", "未知实施主体 \"\(department)\"（不在目录的实施主体表中） / unknown department \"\(department)\" (not in the catalog's departments)")
        }
        if !CatalogRules.minutesRange.contains(expectedMinutes) {
            fail(
                "expectedMinutes",
                "\(expectedMinutes) is out of range \(CatalogRules.minutesRange.lowerBound)–\(CatalogRules.minutesRange.upperBound)"
            )
        }
        if visits != 0 {
            fail("visits", "远程窗口事项的到现场次数应为 0，而非 \(visits) / a remote window item needs 0 visits in person, got \(visits)")
        }

        // Time limits: 即办件 promise nothing later; 承诺件 promise within the legal limit.
        for (field, limit) in [("legalTimeLimit", legalTimeLimit), ("promisedTimeLimit", promisedTimeLimit)]
        where !(0...CatalogRules.maxTimeLimitDays).contains(limit.days) {
            fail("\(field).days", "\(limit.days) 超出范围 0–\(CatalogRules.maxTimeLimitDays) / \(limit.days) is out of range 0–\(CatalogRules.maxTimeLimitDays)")
        }
        switch handlingType {
        case .immediate:
            if promisedTimeLimit.days != 0 {
                fail("promisedTimeLimit.days", "即办件的承诺时限应为 0，而非 \(promisedTimeLimit.days) / an immediate item promises 0 days, got \(promisedTimeLimit.days)")
            }
            if !result.delivery.contains(.onSite) && !result.delivery.contains(.electronic) {
                fail("result.delivery", "即办件在通话中给出结果：送达方式须含当场领取或电子证照 / an immediate item gives its result during the call: onSite or electronic")
            }
        case .promised:
            if promisedTimeLimit.days < 1 {
                fail("promisedTimeLimit.days", "承诺件的承诺时限至少 1 天 / a promised item needs a promised time limit of at least 1 day")
            }
            if legalTimeLimit.unit == promisedTimeLimit.unit, legalTimeLimit.days > 0, promisedTimeLimit.days > legalTimeLimit.days {
                fail("promisedTimeLimit.days", "承诺时限 \(promisedTimeLimit.days) 天超过法定时限 \(legalTimeLimit.days) 天 / promised \(promisedTimeLimit.days) days exceed the legal limit of \(legalTimeLimit.days)")
            }
        }

        if !(fee.yuan >= 0) || !fee.yuan.isFinite {
            fail("fee.yuan", "收费金额不能为负 / fee must be a non-negative amount")
        }
        if let basis = fee.basis {
            problems += basis.problems(item: label, field: "fee.basis")
        } else if fee.yuan > 0 {
            fail("fee.basis", "收费大于 0 时须写明收费依据 / a fee above 0 needs its basis")
        }

        let mustBring = materials.contains(where: \.mustBring)
        if needsMaterials && !mustBring {
            fail("needsMaterials", materials.isEmpty
                ? "需要材料但未列出材料 / item needs materials but lists none"
                : "需要材料但没有申请人须提交的必交材料 / item needs materials but none is required and brought by the applicant")
        } else if !needsMaterials && mustBring {
            let names = materials.filter(\.mustBring).map(\.name.zh).joined(separator: "、")
            fail("needsMaterials", "标为无需材料，但申请人须提交：\(names) / false, but the applicant must bring \(names)")
        }
        for (index, material) in materials.enumerated() {
            problems += material.name.problems(item: label, field: "materials[\(index)].name")
            if !CatalogRules.copiesRange.contains(material.copies) {
                fail("materials[\(index)].copies", "份数 \(material.copies) 超出范围 1–\(CatalogRules.copiesRange.upperBound) / \(material.copies) copies is out of range 1–\(CatalogRules.copiesRange.upperBound)")
            }
        }

        if result.delivery.isEmpty {
            fail("result.delivery", "请写明结果送达方式 / say how the result is delivered")
        } else if Set(result.delivery).count != result.delivery.count {
            fail("result.delivery", "送达方式重复 / a delivery is listed twice")
        }
        if !CatalogRules.isValidPhone(consultPhone) {
            fail("consultPhone", "\"\(consultPhone)\" 不是电话号码（数字和连字符，如 12345） / not a telephone number (digits and dashes, e.g. 12345)")
        }
        if !CatalogRules.isValidPhone(complaintPhone) {
            fail("complaintPhone", "\"\(complaintPhone)\" 不是电话号码（数字和连字符，如 12345） / not a telephone number (digits and dashes, e.g. 12345)")
        }
        if faq.count > CatalogRules.maxFAQ {
            fail("faq", "常见问题最多 \(CatalogRules.maxFAQ) 条 / at most \(CatalogRules.maxFAQ) questions")
        }
        for (index, entry) in faq.enumerated() {
            problems += entry.question.problems(item: label, field: "faq[\(index)].question")
            problems += entry.answer.problems(item: label, field: "faq[\(index)].answer")
        }
        if let basicCode, !CatalogRules.isValidNationalCode(basicCode) {
            fail("basicCode", "编码为 1–64 位字母、数字或连字符 / letters, digits and dashes, 1–64 characters")
        }
        if let implementationCode, !CatalogRules.isValidNationalCode(implementationCode) {
            fail("implementationCode", "编码为 1–64 位字母、数字或连字符 / letters, digits and dashes, 1–64 characters")
        }
        if let effectiveFrom, !ServiceHours.isDay(effectiveFrom) {
            fail("effectiveFrom", "\"\(effectiveFrom)\" 不是有效日期（YYYY-MM-DD） / not a date written YYYY-MM-DD")
        }
        if let guideURL {
            if URL(string: guideURL)?.scheme != "https" {
                fail("guideURL", "办事指南链接须为 https:// 地址 / guide link must be an https:// address")
            }
        }
        return problems
    }
}

extension LocalizedText {
    func problems(item: String?, field: String) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        if zh.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(CatalogProblem(item: item, field: "\(field).zh", message: "缺少中文 / Chinese text is missing"))
        }
        if en.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(CatalogProblem(item: item, field: "\(field).en", message: "缺少英文 / English text is missing"))
        }
        return problems
    }
}
