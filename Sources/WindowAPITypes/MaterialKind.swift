import Foundation

/// The files a worker may hand over as a material: scans as JPEG, PNG or PDF, judged by their
/// first bytes (never by what the sender claims), at most ``maxBytes``.
public enum MaterialKind: String, Codable, Sendable, CaseIterable {
    case jpeg, png, pdf

    /// The largest material the server accepts.
    public static let maxBytes = 5 * 1024 * 1024
    /// The most materials one session may hold.
    public static let maxPerSession = 20

    public var mime: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .pdf: "application/pdf"
        }
    }

    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .pdf: "pdf"
        }
    }

    /// The kind by the file's magic bytes; nil when it is none of them.
    public static func sniff(_ data: some DataProtocol) -> MaterialKind? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        return nil
    }
}
