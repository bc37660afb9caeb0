#if canImport(Glibc)
import Glibc
#endif

/// Finds a zip end-of-central-directory record: an XLSX without one is still being written.
///
/// The record (signature `PK\x05\x06`, 22 bytes plus a comment of up to 64 KiB) sits at the very
/// end of a complete zip; a match counts only if its comment length reaches exactly the end of file,
/// so a stray signature inside compressed data of a half-written file does not pass.
public enum ZipEnd {
    static let recordSize = 22
    static let maxComment = 65_535

    /// True when the file's tail holds a consistent EOCD record. Opens with O_NOFOLLOW.
    public static func isPresent(path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        let size = Int(st.st_size)
        let count = min(size, recordSize + maxComment)
        guard count >= recordSize else { return false }
        var tail = [UInt8](repeating: 0, count: count)
        let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(size - count)) }
        guard got == count else { return false }
        return isPresent(tail: tail)
    }

    /// True when `tail` (the last bytes of a file) ends with a consistent EOCD record.
    public static func isPresent(tail: [UInt8]) -> Bool {
        guard tail.count >= recordSize else { return false }
        var i = tail.count - recordSize
        while i >= 0 {
            if tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 0x05 && tail[i + 3] == 0x06 {
                let comment = Int(tail[i + 20]) | Int(tail[i + 21]) << 8
                if i + recordSize + comment == tail.count { return true }
            }
            i -= 1
        }
        return false
    }
}
