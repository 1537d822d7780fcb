import Foundation

/// One thing wrong with a catalog, named by item and field so a manager can find it.
public struct CatalogProblem: Hashable, Sendable, CustomStringConvertible {
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

        if version != CatalogDocument.supportedVersion {
            fail(nil, "version", "unsupported version \(version), expected \(CatalogDocument.supportedVersion)")
        }
        if categories.isEmpty { fail(nil, "categories", "no categories") }
        if items.isEmpty { fail(nil, "items", "no items") }
        if items.count > CatalogRules.maxItems { fail(nil, "items", "more than \(CatalogRules.maxItems) items") }

        var categoryCodes = Set<String>()
        var letters = Set<String>()
        for (index, category) in categories.enumerated() {
            let label = "categories[\(index)]"
            if !CatalogRules.isValidCategoryCode(category.code) {
                fail(nil, "\(label).code", "invalid category code \"\(category.code)\" (lowercase letters and dashes)")
            } else if !categoryCodes.insert(category.code).inserted {
                fail(nil, "\(label).code", "duplicate category code \"\(category.code)\"")
            }
            let letter = category.letter
            if letter.count != 1 || !(letter.first!.isASCII && letter.first!.isUppercase) {
                fail(nil, "\(label).letter", "letter must be one capital A–Z, got \"\(letter)\"")
            } else if !letters.insert(letter).inserted {
                fail(nil, "\(label).letter", "letter \"\(letter)\" is used by another category")
            }
            problems += category.name.problems(item: nil, field: "\(label).name")
        }

        var itemCodes = Set<String>()
        for (index, item) in items.enumerated() {
            let validCode = CatalogRules.isValidItemCode(item.code)
            let label = validCode ? item.code : "#\(index + 1)"
            if !validCode {
                fail(label, "code", "invalid code \"\(item.code)\" (expected like JZZ-001)")
            } else if !itemCodes.insert(item.code).inserted {
                fail(label, "code", "duplicate code \(item.code)")
            }
            problems += item.problems(label: label, knownCategories: categoryCodes)
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
    func problems(label: String, knownCategories: Set<String>) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        func fail(_ field: String, _ message: String) {
            problems.append(CatalogProblem(item: label, field: field, message: message))
        }
        problems += name.problems(item: label, field: "name")
        problems += department.problems(item: label, field: "department")
        problems += conditions.problems(item: label, field: "conditions")
        problems += legalBasis.problems(item: label, field: "legalBasis")
        problems += guide.problems(item: label, field: "guide")
        problems += fee.note.problems(item: label, field: "fee.note")

        if !knownCategories.contains(category) {
            fail("category", "unknown category \"\(category)\"")
        }
        if !CatalogRules.minutesRange.contains(expectedMinutes) {
            fail(
                "expectedMinutes",
                "\(expectedMinutes) is out of range \(CatalogRules.minutesRange.lowerBound)–\(CatalogRules.minutesRange.upperBound)"
            )
        }
        if !(fee.yuan >= 0) || !fee.yuan.isFinite {
            fail("fee.yuan", "fee must be a non-negative amount")
        }
        if needsMaterials {
            if materials.isEmpty {
                fail("materials", "item needs materials but lists none")
            } else if !materials.contains(where: \.required) {
                fail("materials", "item needs materials but none is required")
            }
        }
        for (index, material) in materials.enumerated() {
            problems += material.name.problems(item: label, field: "materials[\(index)].name")
        }
        if let guideURL {
            if URL(string: guideURL)?.scheme != "https" {
                fail("guideURL", "guide link must be an https:// address")
            }
        }
        return problems
    }
}

extension LocalizedText {
    func problems(item: String?, field: String) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        if zh.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(CatalogProblem(item: item, field: "\(field).zh", message: "Chinese text is missing"))
        }
        if en.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(CatalogProblem(item: item, field: "\(field).en", message: "English text is missing"))
        }
        return problems
    }
}
