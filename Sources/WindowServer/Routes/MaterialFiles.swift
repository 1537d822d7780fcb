import Crypto
import Foundation
import Hummingbird
import Logging
import Synchronization
import WindowAPITypes
import WindowCore
import WindowStore

/// Where the scans are kept, and how they get there: streamed to a private temporary file (never
/// held whole in memory), checked by their first bytes, hashed on the way, then renamed into place.
/// At most `limit` uploads are read at once; more are refused with 429 at once.
final class MaterialFiles: Sendable {
    let directory: URL
    let limit: Int
    private let inFlight = Mutex(0)

    init(directory: URL, limit: Int) {
        self.directory = directory
        self.limit = limit
    }

    /// A stored, checked upload; its file is in place.
    func receive(_ body: RequestBody, session: SessionID, name: String) async throws -> MaterialUpload {
        let admitted = inFlight.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else { throw APIError.tooManyAttempts(retryAfter: 1) }
        defer { inFlight.withLock { $0 -= 1 } }

        let folder = directory.appendingPathComponent(String(session))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stem = folder.appendingPathComponent(UUID().uuidString).path
        let partial = stem + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: partial)
        else { throw APIError(.internalServerError, code: .internal, message: "无法保存材料 / cannot store the material") }
        var hasher = SHA256()
        var size = 0
        var head = Data()
        do {
            for try await buffer in body {
                size += buffer.readableBytes
                guard size <= MaterialKind.maxBytes else {
                    throw APIError(.contentTooLarge, code: .payloadTooLarge, message: "材料超过5 MB上限 / the material is larger than the 5 MiB limit")
                }
                let bytes = Data(buffer: buffer)
                if head.count < 8 { head.append(bytes.prefix(8 - head.count)) }
                hasher.update(data: bytes)
                try handle.write(contentsOf: bytes)
            }
            try handle.synchronize()
            try handle.close()
            guard let kind = MaterialKind.sniff(head) else {
                throw APIError(.unsupportedMediaType, code: .unsupportedMaterial, message: "仅支持 JPEG、PNG 或 PDF 文件 / only JPEG, PNG or PDF scans are accepted")
            }
            let path = stem + "." + kind.fileExtension
            guard rename(partial, path) == 0 else { throw APIError(.internalServerError, code: .internal, message: "无法保存材料 / cannot store the material") }
            return MaterialUpload(name: name, contentType: kind.mime, size: size, sha256: hasher.finalize().hexString, path: path)
        } catch {
            try? handle.close()
            unlink(partial)
            throw error
        }
    }

    /// On start: a crash can leave partial files and files whose event was never written; both go.
    /// - Returns: how many files were removed.
    @discardableResult
    func removeLeftovers(known: Set<String>, logger: Logger) -> Int {
        guard let entries = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return 0 }
        var removed = 0
        for case let url as URL in entries where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            if !known.contains(url.standardizedFileURL.path) && !known.contains(url.path) {
                try? FileManager.default.removeItem(at: url)
                removed += 1
            }
        }
        if removed > 0 { logger.notice("removed material files no record refers to", metadata: ["files": "\(removed)"]) }
        return removed
    }
}
