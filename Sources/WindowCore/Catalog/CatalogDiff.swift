import Foundation

/// Any JSON: catalog items compared and merged field by field, SDP and ICE passed through untouched.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value of any `Encodable` (a catalog item, say) as JSON.
    public init(encoding value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// Turns the JSON back into a typed value.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: JSONEncoder().encode(self))
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    subscript(path: ArraySlice<PathComponent>) -> JSONValue? {
        guard let first = path.first else { return self }
        switch (self, first) {
        case (.object(let object), .key(let key)): return object[key]?[path.dropFirst()]
        case (.array(let array), .index(let index)) where array.indices.contains(index): return array[index][path.dropFirst()]
        default: return nil
        }
    }

    /// Sets the value at `path` (nil removes a key); false when the path does not lead anywhere.
    mutating func set(_ value: JSONValue?, at path: ArraySlice<PathComponent>) -> Bool {
        guard let first = path.first else {
            if let value { self = value }
            return value != nil
        }
        switch (self, first) {
        case (.object(var object), .key(let key)):
            if path.count == 1 {
                object[key] = value
            } else {
                guard var child = object[key], child.set(value, at: path.dropFirst()) else { return false }
                object[key] = child
            }
            self = .object(object)
            return true
        case (.array(var array), .index(let index)) where array.indices.contains(index):
            guard let value = value ?? (path.count > 1 ? array[index] : nil) else { return false }
            var child = path.count == 1 ? value : array[index]
            if path.count > 1, !child.set(value, at: path.dropFirst()) { return false }
            array[index] = child
            self = .array(array)
            return true
        default:
            return false
        }
    }

    /// Short text for a diff view.
    public var text: String {
        switch self {
        case .null: "—"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): value
        case .array, .object:
            (try? String(decoding: {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                return try encoder.encode(self)
            }(), as: UTF8.self)) ?? ""
        }
    }
}

/// One step of a field path: an object key or an array index.
public enum PathComponent: Hashable, Sendable {
    case key(String)
    case index(Int)
}

/// A field path such as `materials[2].name.zh`.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var components: [PathComponent]

    public init(_ components: [PathComponent]) { self.components = components }

    public init?(parsing text: String) {
        var components: [PathComponent] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                let key = rest[..<bracket]
                if !key.isEmpty { components.append(.key(String(key))) }
                rest = rest[bracket...]
                while rest.first == "[", let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) {
                    components.append(.index(index))
                    rest = rest[rest.index(after: close)...]
                }
                if !rest.isEmpty { return nil }
            } else if !rest.isEmpty {
                components.append(.key(String(rest)))
            } else {
                return nil
            }
        }
        if components.isEmpty { return nil }
        self.components = components
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// Whether one path is the other or leads into it: changes there touch the same data.
    public func overlaps(_ other: FieldPath) -> Bool {
        let count = min(components.count, other.components.count)
        return components.prefix(count) == other.components.prefix(count)
    }

    public static func < (lhs: FieldPath, rhs: FieldPath) -> Bool { lhs.description < rhs.description }
}

/// One field that differs between two versions of the catalog.
public struct CatalogChange: Codable, Hashable, Sendable {
    /// The item's code; nil for the catalog's own tables (categories, departments).
    public var item: String?
    /// The field path, e.g. `materials[2].name.zh`; `(item)` when the whole item is added.
    public var field: String
    /// The field's name for people, Chinese and English.
    public var label: LocalizedText
    public var before: JSONValue?
    public var after: JSONValue?

    public init(item: String?, field: String, label: LocalizedText, before: JSONValue?, after: JSONValue?) {
        self.item = item
        self.field = field
        self.label = label
        self.before = before
        self.after = after
    }
}

/// Field-level comparison of catalogs and items.
public enum CatalogDiff {
    /// Every difference from `old` to `new`: items added or changed, then the tables.
    public static func changes(from old: CatalogDocument, to new: CatalogDocument) -> [CatalogChange] {
        var changes: [CatalogChange] = []
        let oldItems = Dictionary(old.items.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for item in new.items {
            if let before = oldItems[item.code] {
                changes += self.changes(from: before, to: item)
            } else {
                changes.append(CatalogChange(
                    item: item.code, field: "(item)", label: LocalizedText(zh: "新增事项", en: "Item added"),
                    before: nil, after: try? JSONValue(encoding: item)))
            }
        }
        let newCodes = Set(new.items.map(\.code))
        for item in old.items where !newCodes.contains(item.code) {
            changes.append(CatalogChange(
                item: item.code, field: "(item)", label: LocalizedText(zh: "删除事项", en: "Item removed"),
                before: try? JSONValue(encoding: item), after: nil))
        }
        for (field, label, before, after) in [
            ("categories", LocalizedText(zh: "分类", en: "Categories"), try? JSONValue(encoding: old.categories), try? JSONValue(encoding: new.categories)),
            ("departments", LocalizedText(zh: "实施主体", en: "Departments"), try? JSONValue(encoding: old.departments), try? JSONValue(encoding: new.departments)),
        ] {
            for (path, was, now) in differences(before ?? .null, after ?? .null, at: []) {
                changes.append(CatalogChange(item: nil, field: field + FieldPath(path).suffixText, label: label, before: was, after: now))
            }
        }
        return changes
    }

    /// Every field that differs between two versions of one item.
    public static func changes(from old: CatalogItem, to new: CatalogItem) -> [CatalogChange] {
        guard let before = try? JSONValue(encoding: old), let after = try? JSONValue(encoding: new) else { return [] }
        return differences(before, after, at: []).map { path, was, now in
            CatalogChange(item: new.code, field: FieldPath(path).description, label: label(for: path), before: was, after: now)
        }
    }

    /// The paths whose values differ. Arrays of the same length are compared element by element;
    /// an array that grew or shrank is one change.
    public static func differences(_ old: JSONValue, _ new: JSONValue, at path: [PathComponent]) -> [([PathComponent], JSONValue?, JSONValue?)] {
        if old == new { return [] }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            return Set(a.keys).union(b.keys).sorted().flatMap { key -> [([PathComponent], JSONValue?, JSONValue?)] in
                switch (a[key], b[key]) {
                case (let x?, let y?): return differences(x, y, at: path + [.key(key)])
                case (let x, let y): return x == y ? [] : [(path + [.key(key)], x, y)]
                }
            }
        case (.array(let a), .array(let b)) where a.count == b.count:
            return a.indices.flatMap { differences(a[$0], b[$0], at: path + [.index($0)]) }
        default:
            return [(path, old, new)]
        }
    }

    /// The name people read for a field path: its first key's, with the rest of the path.
    public static func label(for path: [PathComponent]) -> LocalizedText {
        guard case .key(let key)? = path.first else { return LocalizedText(zh: "事项", en: "Item") }
        let name = fieldNames[key] ?? LocalizedText(zh: key, en: key)
        let rest = FieldPath(Array(path.dropFirst())).suffixText
        if rest.isEmpty { return name }
        return LocalizedText(zh: name.zh + " " + rest, en: name.en + " " + rest)
    }

    /// Every element of an item, named as a 办事指南 names it.
    public static let fieldNames: [String: LocalizedText] = [
        "code": LocalizedText(zh: "事项编码", en: "Code"),
        "name": LocalizedText(zh: "事项名称", en: "Name"),
        "department": LocalizedText(zh: "实施主体", en: "Department"),
        "departmentRole": LocalizedText(zh: "实施主体性质", en: "Department's role"),
        "category": LocalizedText(zh: "分类（技能）", en: "Category (skill)"),
        "handlingType": LocalizedText(zh: "办件类型", en: "Handling type"),
        "legalTimeLimit": LocalizedText(zh: "法定办结时限", en: "Legal time limit"),
        "promisedTimeLimit": LocalizedText(zh: "承诺办结时限", en: "Promised time limit"),
        "visits": LocalizedText(zh: "到现场次数", en: "Visits in person"),
        "expectedMinutes": LocalizedText(zh: "预计办理分钟数", en: "Expected minutes"),
        "needsMaterials": LocalizedText(zh: "是否需要材料", en: "Needs materials"),
        "materials": LocalizedText(zh: "申请材料", en: "Materials"),
        "conditions": LocalizedText(zh: "受理条件", en: "Conditions"),
        "fee": LocalizedText(zh: "收费", en: "Fee"),
        "legalBasis": LocalizedText(zh: "设定依据", en: "Legal basis"),
        "result": LocalizedText(zh: "办理结果", en: "Result"),
        "guide": LocalizedText(zh: "办事指南", en: "Guide"),
        "guideURL": LocalizedText(zh: "办事指南链接", en: "Guide link"),
        "consultPhone": LocalizedText(zh: "咨询电话", en: "Enquiries"),
        "complaintPhone": LocalizedText(zh: "监督投诉电话", en: "Complaints"),
        "faq": LocalizedText(zh: "常见问题", en: "FAQ"),
        "basicCode": LocalizedText(zh: "基本编码", en: "National basic code"),
        "implementationCode": LocalizedText(zh: "实施编码", en: "National implementation code"),
        "effectiveFrom": LocalizedText(zh: "生效日期", en: "Effective from"),
        "status": LocalizedText(zh: "事项状态", en: "Status"),
    ]
}

extension FieldPath {
    /// The path as it follows a name: `[2].name.zh` or `.zh`, empty for no path.
    var suffixText: String {
        let text = description
        if text.isEmpty || text.hasPrefix("[") { return text }
        return "." + text
    }
}

/// A field changed both in a draft and, since the draft's base, in the published catalog.
public struct CatalogConflict: Codable, Hashable, Sendable {
    public var item: String
    public var field: String
    public var label: LocalizedText
    public var base: JSONValue?
    /// The value published since the draft began.
    public var current: JSONValue?
    /// The draft's value.
    public var draft: JSONValue?

    public init(item: String, field: String, label: LocalizedText, base: JSONValue?, current: JSONValue?, draft: JSONValue?) {
        self.item = item
        self.field = field
        self.label = label
        self.base = base
        self.current = current
        self.draft = draft
    }
}

/// Which side wins a conflicting field when a draft is rebased.
public enum RebaseResolution: String, Codable, Sendable, CaseIterable {
    /// The draft's value.
    case draft
    /// The value published since.
    case current
}

extension CatalogDiff {
    /// Replays the draft's changes (base → draft) on the current catalog. Fields that both changed
    /// to different values are conflicts; with no resolution they are returned and nothing merges.
    public static func rebase(
        draft: CatalogDocument, base: CatalogDocument, current: CatalogDocument, resolution: RebaseResolution?
    ) throws -> (merged: CatalogDocument?, conflicts: [CatalogConflict]) {
        var merged = current
        var conflicts: [CatalogConflict] = []
        let baseItems = Dictionary(base.items.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let currentItems = Dictionary(current.items.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for item in draft.items {
            guard let baseItem = baseItems[item.code] else {
                // Added in the draft; if it was also published since, the two versions conflict as wholes.
                if let published = currentItems[item.code], published != item {
                    conflicts.append(CatalogConflict(
                        item: item.code, field: "(item)", label: LocalizedText(zh: "新增事项", en: "Item added"), base: nil,
                        current: try JSONValue(encoding: published), draft: try JSONValue(encoding: item)))
                    if resolution == .draft { merged.replace(item) }
                } else if currentItems[item.code] == nil {
                    merged.items.append(item)
                }
                continue
            }
            if item == baseItem { continue }
            guard let published = currentItems[item.code] else { continue }
            let ours = differences(try JSONValue(encoding: baseItem), try JSONValue(encoding: item), at: [])
            let theirs = differences(try JSONValue(encoding: baseItem), try JSONValue(encoding: published), at: [])
            var result = try JSONValue(encoding: published)
            let draftValue = try JSONValue(encoding: item)
            for (path, was, now) in ours {
                let clashes = theirs.filter { FieldPath($0.0).overlaps(FieldPath(path)) }
                let agree = clashes.allSatisfy { clash in
                    clash.0 == path && clash.2 == now
                }
                if !clashes.isEmpty && !agree {
                    let field = FieldPath(clashes.count == 1 && clashes[0].0.count < path.count ? clashes[0].0 : path)
                    let currentValue = try JSONValue(encoding: published)[field.components[...]]
                    conflicts.append(CatalogConflict(
                        item: item.code, field: field.description, label: label(for: field.components),
                        base: try JSONValue(encoding: baseItem)[field.components[...]], current: currentValue,
                        draft: draftValue[field.components[...]]))
                    if resolution == .draft { _ = result.set(draftValue[field.components[...]], at: field.components[...]) }
                    continue
                }
                _ = was
                _ = result.set(now, at: path[...])
            }
            merged.replace(try result.decode(as: CatalogItem.self))
        }
        // Duplicate conflicts (several draft paths inside one changed array) are one for people.
        var seen = Set<String>()
        conflicts = conflicts.filter { seen.insert("\($0.item)|\($0.field)").inserted }
        if !conflicts.isEmpty && resolution == nil { return (nil, conflicts) }
        if draft.categories != base.categories { merged.categories = draft.categories }
        if draft.departments != base.departments { merged.departments = draft.departments }
        return (merged, conflicts)
    }
}

extension CatalogDocument {
    /// Puts `item` in place of the item with its code, or appends it.
    public mutating func replace(_ item: CatalogItem) {
        if let index = items.firstIndex(where: { $0.code == item.code }) {
            items[index] = item
        } else {
            items.append(item)
        }
    }
}
