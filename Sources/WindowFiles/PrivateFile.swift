import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files whose content must never be readable by others, even for an instant (keys,
/// credentials, scans): the file is created with its final mode in a folder only its owner may
/// enter, written and synced, then renamed into place, so a reader never sees half a file.
public enum PrivateFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var errno: Int32
        public var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
    }

    public static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw WriteError(path: temporary, errno: errno) }
        let written = data.withUnsafeBytes { buffer in
            Glibc.write(fd, buffer.baseAddress, buffer.count)
        }
        let writeErrno = errno
        fsync(fd)
        close(fd)
        guard written == data.count else {
            unlink(temporary)
            throw WriteError(path: temporary, errno: writeErrno)
        }
        // open() applies the umask; set the mode we meant.
        chmod(temporary, mode)
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, errno: errno) }
    }
}
