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

/// A body that carries out items (实施主体), named once in the catalog's table of departments so
/// that one body never appears under two names.
public struct Department: Codable, Hashable, Sendable {
    public var code: String
    public var name: LocalizedText

    public init(code: String, name: LocalizedText) {
        self.code = code
        self.name = name
    }
}

/// One document the applicant brings (申请材料).
public struct RequiredMaterial: Codable, Hashable, Sendable {
    /// 原件 or 复印件.
    public enum Form: String, Codable, Hashable, Sendable, CaseIterable {
        case original
        case copy
    }

    /// 材料形式.
    public enum Medium: String, Codable, Hashable, Sendable, CaseIterable {
        case paper
        case electronic
    }

    /// 来源渠道.
    public enum Source: String, Codable, Hashable, Sendable, CaseIterable {
        /// 申请人自备.
        case applicant
        /// 政府部门核发 (the applicant holds a document a department issued).
        case government
        /// 免提交: the window obtains it by data sharing; the applicant brings nothing.
        case dataSharing
    }

    public var name: LocalizedText
    public var form: Form
    public var required: Bool
    /// 份数.
    public var copies: Int
    public var medium: Medium
    public var source: Source
    /// Whether a blank form (空白表格) can be downloaded or is handed out.
    public var blankForm: Bool
    /// Whether a filled-in sample (示例样表) exists.
    public var sample: Bool

    public init(
        name: LocalizedText, form: Form, required: Bool, copies: Int = 1, medium: Medium = .paper,
        source: Source = .applicant, blankForm: Bool = false, sample: Bool = false
    ) {
        self.name = name
        self.form = form
        self.required = required
        self.copies = copies
        self.medium = medium
        self.source = source
        self.blankForm = blankForm
        self.sample = sample
    }

    /// Whether the worker must bring it: required, and not obtained by data sharing.
    public var mustBring: Bool { required && source != .dataSharing }
}

public struct Fee: Codable, Hashable, Sendable {
    public var yuan: Double
    public var note: LocalizedText
    /// 收费依据; needed when the fee is above zero.
    public var basis: LocalizedText?

    public init(yuan: Double, note: LocalizedText, basis: LocalizedText? = nil) {
        self.yuan = yuan
        self.note = note
        self.basis = basis
    }
}

/// 办件类型.
public enum HandlingType: String, Codable, Hashable, Sendable, CaseIterable {
    /// 即办件: the result is given during the call.
    case immediate
    /// 承诺件: accepted now, the result follows within the promised time.
    case promised
}

/// A time limit (办结时限) with its unit.
public struct TimeLimit: Codable, Hashable, Sendable {
    public enum Unit: String, Codable, Hashable, Sendable, CaseIterable {
        case workingDays
        case calendarDays
    }

    public var days: Int
    public var unit: Unit

    public init(days: Int, unit: Unit) {
        self.days = days
        self.unit = unit
    }
}

/// 办理结果.
public struct ItemResult: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        /// 证照.
        case license
        /// 批文.
        case approval
        case other
    }

    public enum Delivery: String, Codable, Hashable, Sendable, CaseIterable {
        /// 当场领取 (printed or handed over during the call).
        case onSite
        /// 邮寄.
        case mail
        /// 电子证照 / electronic result.
        case electronic
    }

    public var name: LocalizedText
    public var kind: Kind
    public var delivery: [Delivery]

    public init(name: LocalizedText, kind: Kind, delivery: [Delivery]) {
        self.name = name
        self.kind = kind
        self.delivery = delivery
    }
}

/// One 常见问题 entry.
public struct FAQEntry: Codable, Hashable, Sendable {
    public var question: LocalizedText
    public var answer: LocalizedText

    public init(question: LocalizedText, answer: LocalizedText) {
        self.question = question
        self.answer = answer
    }
}

/// A government service item (政务服务事项) a remote window can handle, as its 办事指南 states it.
public struct CatalogItem: Codable, Hashable, Sendable, Identifiable {
    public enum Status: String, Codable, Hashable, Sendable, CaseIterable {
        case active
        case suspended
        case retired
    }

    /// 实施主体性质.
    public enum DepartmentRole: String, Codable, Hashable, Sendable, CaseIterable {
        /// 法定实施主体.
        case statutory
        /// 受委托受理 (the window accepts on the statutory body's behalf).
        case entrusted
    }

    public var code: String
    public var name: LocalizedText
    /// The code of the 实施主体 in the catalog's departments.
    public var department: String
    public var departmentRole: DepartmentRole
    public var category: String
    public var handlingType: HandlingType
    /// 法定办结时限.
    public var legalTimeLimit: TimeLimit
    /// 承诺办结时限; 0 for 即办件.
    public var promisedTimeLimit: TimeLimit
    /// 到现场次数: 0, as the remote window is the whole visit.
    public var visits: Int
    public var expectedMinutes: Int
    public var needsMaterials: Bool
    public var materials: [RequiredMaterial]
    public var conditions: LocalizedText
    public var fee: Fee
    public var legalBasis: LocalizedText
    public var result: ItemResult
    public var guide: LocalizedText
    public var guideURL: String?
    /// 咨询电话.
    public var consultPhone: String
    /// 监督投诉电话.
    public var complaintPhone: String
    public var faq: [FAQEntry]
    /// National 基本编码, when known.
    public var basicCode: String?
    /// National 实施编码, when known.
    public var implementationCode: String?
    /// The date (Shanghai, `YYYY-MM-DD`) this guide takes effect, when stated.
    public var effectiveFrom: String?
    public var status: Status

    public var id: String { code }

    public init(
        code: String,
        name: LocalizedText,
        department: String,
        departmentRole: DepartmentRole = .statutory,
        category: String,
        handlingType: HandlingType = .immediate,
        legalTimeLimit: TimeLimit = TimeLimit(days: 0, unit: .workingDays),
        promisedTimeLimit: TimeLimit = TimeLimit(days: 0, unit: .workingDays),
        visits: Int = 0,
        expectedMinutes: Int,
        needsMaterials: Bool,
        materials: [RequiredMaterial],
        conditions: LocalizedText,
        fee: Fee,
        legalBasis: LocalizedText,
        result: ItemResult,
        guide: LocalizedText,
        guideURL: String? = nil,
        consultPhone: String = "12345",
        complaintPhone: String = "12345",
        faq: [FAQEntry] = [],
        basicCode: String? = nil,
        implementationCode: String? = nil,
        effectiveFrom: String? = nil,
        status: Status
    ) {
        self.code = code
        self.name = name
        self.department = department
        self.departmentRole = departmentRole
        self.category = category
        self.handlingType = handlingType
        self.legalTimeLimit = legalTimeLimit
        self.promisedTimeLimit = promisedTimeLimit
        self.visits = visits
        self.expectedMinutes = expectedMinutes
        self.needsMaterials = needsMaterials
        self.materials = materials
        self.conditions = conditions
        self.fee = fee
        self.legalBasis = legalBasis
        self.result = result
        self.guide = guide
        self.guideURL = guideURL
        self.consultPhone = consultPhone
        self.complaintPhone = complaintPhone
        self.faq = faq
        self.basicCode = basicCode
        self.implementationCode = implementationCode
        self.effectiveFrom = effectiveFrom
        self.status = status
    }
}

/// The catalog file: departments, categories and the items a remote window handles.
public struct CatalogDocument: Codable, Hashable, Sendable {
    /// The file format this code reads (not a catalog version: those are numbered on publish).
    public static let supportedFormat = 2

    public var format: Int
    public var departments: [Department]
    public var categories: [Category]
    public var items: [CatalogItem]

    public init(
        format: Int = CatalogDocument.supportedFormat, departments: [Department], categories: [Category], items: [CatalogItem]
    ) {
        self.format = format
        self.departments = departments
        self.categories = categories
        self.items = items
    }

    public func item(_ code: String) -> CatalogItem? { items.first { $0.code == code } }
    public func category(_ code: String) -> Category? { categories.first { $0.code == code } }
    public func department(_ code: String) -> Department? { departments.first { $0.code == code } }
}
