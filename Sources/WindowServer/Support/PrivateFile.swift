import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files whose content must never be readable by others, even for an instant:
/// the file is created with its final mode, then renamed into place.
enum PrivateFile {
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var errno: Int32
        var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
    }

    static func write(_ data: Data, to path: String, mode: mode_t) throws {
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
