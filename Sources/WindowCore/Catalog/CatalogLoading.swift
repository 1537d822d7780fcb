import Foundation

extension CatalogDocument {
    /// Decodes and validates a catalog file. A file that is not well-formed, or has any invalid
    /// field, is refused as a whole with problems naming the item and the field.
    public static func load(json data: Data) throws(CatalogValidationError) -> CatalogDocument {
        let document: CatalogDocument
        do {
            document = try JSONDecoder().decode(CatalogDocument.self, from: data)
        } catch let error as DecodingError {
            throw CatalogValidationError(problems: [problem(for: error, in: data)])
        } catch {
            throw CatalogValidationError(problems: [CatalogProblem(item: nil, field: "(file)", message: "\(error)")])
        }
        try document.validate()
        return document
    }

    /// Turns a decoding failure into a problem naming the item (by code when it can be read) and field.
    static func problem(for error: DecodingError, in data: Data) -> CatalogProblem {
        let path: [any CodingKey]
        let message: String
        switch error {
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            message = "缺少字段 / missing field"
        case .typeMismatch(let type, let context):
            path = context.codingPath
            message = "类型错误 / wrong type, expected \(type)"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            message = "缺少取值 / missing value, expected \(type)"
        case .dataCorrupted(let context):
            path = context.codingPath
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            message = path.isEmpty ? "不是有效的 JSON / not valid JSON\(underlying)" : "取值无效 / invalid value: \(context.debugDescription)"
        @unknown default:
            return CatalogProblem(item: nil, field: "(file)", message: "\(error)")
        }

        // Paths into an item read as items[N].field; name the item by its code when possible.
        if path.count >= 2, path[0].stringValue == "items", let index = path[1].intValue {
            let field = fieldPath(path.dropFirst(2))
            return CatalogProblem(item: itemCode(at: index, in: data) ?? "#\(index + 1)", field: field.isEmpty ? "(item)" : field, message: message)
        }
        let field = fieldPath(path[...])
        return CatalogProblem(item: nil, field: field.isEmpty ? "(file)" : field, message: message)
    }

    static func fieldPath(_ keys: ArraySlice<any CodingKey>) -> String {
        var result = ""
        for key in keys {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    static func itemCode(at index: Int, in data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let items = root["items"] as? [Any], index < items.count,
            let item = items[index] as? [String: Any], let code = item["code"] as? String, !code.isEmpty
        else { return nil }
        return code
    }
}

extension CatalogItem {
    /// Whether a catalog search matches: the code, or the name in either language.
    public func matches(query: String) -> Bool {
        let query = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if query.isEmpty { return true }
        return code.localizedCaseInsensitiveContains(query) || name.contains(query)
    }
}

extension CatalogDocument {
    /// The catalog file's bytes: pretty-printed, keys sorted (the encoder's own order differs from
    /// run to run), a final newline. Export writes exactly these, so exporting, importing and
    /// exporting again gives the same file.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
