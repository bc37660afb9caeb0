#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-level checks for an `.xls`: size limits, reading the bytes, finding the workbook stream
/// in the OLE2 container, and saying what a file that is not one really is.
enum XLSFile {
    /// The workbook stream of the `.xls` at `path` (`Workbook` for BIFF8, `Book` for BIFF5).
    static func workbookStream(path: String, limits: ReaderLimits) throws(ReaderError) -> [UInt8] {
        let bytes = try read(path: path, limits: limits)
        guard bytes.starts(with: CompoundFile.signature) else { throw .corrupt(sniff(bytes)) }
        let container = try CompoundFile(bytes)
        if let stream = try container.stream(named: ["Workbook", "Book"]) { return stream.bytes }
        if container.hasEntry(named: "EncryptedPackage") { throw .encrypted }
        throw .corrupt("an OLE2 container without an Excel 97–2003 workbook stream (a Word or other Office file?)")
    }

    /// The whole file, after checking it is a regular file within `limits.maxFileBytes`.
    static func read(path: String, limits: ReaderLimits) throws(ReaderError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        let size = Int64(info.st_size)
        guard size <= limits.maxFileBytes else { throw .tooLarge(bytes: size, limit: limits.maxFileBytes) }
        guard size > 0 else { throw .corrupt("the .xls file is empty (0 bytes)") }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var done = 0
        let failed = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while done < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return n < 0 }
                done += n
            }
            return false
        }
        if failed { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        if done < bytes.count { bytes.removeLast(bytes.count - done) }
        return bytes
    }

    /// What the first bytes say a file without the OLE2 signature really is.
    static func sniff(_ bytes: [UInt8]) -> String {
        let magic = bytes.prefix(8)
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "a zip file, not an Excel 97–2003 workbook (an .xlsx named .xls? rename it to .xlsx)"
        }
        let text = magic.drop { [0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if text.first == UInt8(ascii: "<") {
            return "HTML or XML text, not an Excel 97–2003 workbook (save it as .xlsx or .csv)"
        }
        return "not an Excel 97–2003 workbook (no OLE2 signature; a text file named .xls?)"
    }
}
