/// A category groups items and is also the clerk skill that handles them.
/// Its letter prefixes ticket numbers (e.g. `R017`).
public struct Category: Codable, Hashable, Sendable {
    public var code: String
    public var letter: String
    public var name: LocalizedText

    public init(code: String, letter: String, name: LocalizedText) {
        self.code = code
        self.letter = letter
        self.name = name
    }
}

/// One document the applicant brings (申请材料).
public struct RequiredMaterial: Codable, Hashable, Sendable {
    public enum Form: String, Codable, Hashable, Sendable, CaseIterable {
        case original
        case copy
    }

    public var name: LocalizedText
    public var form: Form
    public var required: Bool

    public init(name: LocalizedText, form: Form, required: Bool) {
        self.name = name
        self.form = form
        self.required = required
    }
}

public struct Fee: Codable, Hashable, Sendable {
    public var yuan: Double
    public var note: LocalizedText

    public init(yuan: Double, note: LocalizedText) {
        self.yuan = yuan
        self.note = note
    }
}

/// A government service item (政务服务事项) a remote window can handle.
public struct CatalogItem: Codable, Hashable, Sendable, Identifiable {
    public enum Status: String, Codable, Hashable, Sendable, CaseIterable {
        case active
        case suspended
        case retired
    }

    public var code: String
    public var name: LocalizedText
    public var department: LocalizedText
    public var category: String
    public var onTheSpot: Bool
    public var expectedMinutes: Int
    public var needsMaterials: Bool
    public var materials: [RequiredMaterial]
    public var conditions: LocalizedText
    public var fee: Fee
    public var legalBasis: LocalizedText
    public var guide: LocalizedText
    public var guideURL: String?
    public var status: Status

    public var id: String { code }

    public init(
        code: String,
        name: LocalizedText,
        department: LocalizedText,
        category: String,
        onTheSpot: Bool,
        expectedMinutes: Int,
        needsMaterials: Bool,
        materials: [RequiredMaterial],
        conditions: LocalizedText,
        fee: Fee,
        legalBasis: LocalizedText,
        guide: LocalizedText,
        guideURL: String? = nil,
        status: Status
    ) {
        self.code = code
        self.name = name
        self.department = department
        self.category = category
        self.onTheSpot = onTheSpot
        self.expectedMinutes = expectedMinutes
        self.needsMaterials = needsMaterials
        self.materials = materials
        self.conditions = conditions
        self.fee = fee
        self.legalBasis = legalBasis
        self.guide = guide
        self.guideURL = guideURL
        self.status = status
    }
}

/// The catalog file: categories and the items that can be handled on the spot.
public struct CatalogDocument: Codable, Hashable, Sendable {
    public static let supportedVersion = 1

    public var version: Int
    public var categories: [Category]
    public var items: [CatalogItem]

    public init(version: Int = CatalogDocument.supportedVersion, categories: [Category], items: [CatalogItem]) {
        self.version = version
        self.categories = categories
        self.items = items
    }
}
