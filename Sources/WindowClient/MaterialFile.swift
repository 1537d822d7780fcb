import Foundation

/// A scan to hand over in a session, checked before it is sent: it must be a JPEG, PNG or PDF
/// (judged by its first bytes, as the server does) and at most 5 MiB.
public struct MaterialFile: Sendable, Equatable {
    public typealias Kind = MaterialKind

    public let data: Data
    public let kind: Kind

    public init(data: Data) throws(WindowClientError) {
        guard !data.isEmpty else {
            throw .invalidInput(code: "invalid_file", "文件为空 / the file is empty")
        }
        guard data.count <= MaterialKind.maxBytes else {
            throw .invalidInput(code: "file_too_large", "文件超过5 MB上限 / the file is larger than the 5 MiB limit")
        }
        guard let kind = Self.sniff(data) else {
            throw .invalidInput(code: "unsupported_file", "仅支持 JPEG、PNG 或 PDF 扫描件，该文件不是 / only JPEG, PNG or PDF scans can be uploaded; this file is none of them")
        }
        self.data = data
        self.kind = kind
    }

    /// Reads and checks a file; a missing, unreadable or oversized file is refused with a clear message.
    public init(path: String) throws(WindowClientError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .invalidInput(code: "invalid_file", "文件不存在 / no such file: \(path)")
        }
        guard !isDirectory.boolValue else {
            throw .invalidInput(code: "invalid_file", "这是一个文件夹，不是文件 / that is a folder, not a file: \(path)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= MaterialKind.maxBytes else {
            throw .invalidInput(code: "file_too_large", "文件超过5 MB上限 / the file is larger than the 5 MiB limit: \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidInput(code: "invalid_file", "无法读取文件 / cannot read the file: \(path)")
        }
        try self.init(data: data)
    }

    public static func sniff(_ data: Data) -> Kind? { MaterialKind.sniff(data) }
}
