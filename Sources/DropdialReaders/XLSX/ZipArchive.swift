internal import CZip
#if canImport(Glibc)
import Glibc
#endif

/// A read-only zip archive (libzip) with a case-insensitive part-name index, so `XL/Workbook.xml`
/// and `xl/workbook.xml` name the same part. Before libzip sees the file it is checked for size
/// and for the OLE2 signature that password-protected (encrypted) workbooks carry.
final class ZipArchive {
    let path: String
    let limits: ReaderLimits
    let fileBytes: Int64
    private let handle: OpaquePointer
    /// Lowercased entry name (leading `/` and `\` separators normalised) → libzip index.
    private var entries: [String: UInt64] = [:]

    init(path: String, limits: ReaderLimits) throws(ReaderError) {
        self.path = path
        self.limits = limits
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        fileBytes = Int64(st.st_size)
        if fileBytes > limits.maxFileBytes {
            close(fd)
            throw .tooLarge(bytes: fileBytes, limit: limits.maxFileBytes)
        }
        if fileBytes == 0 {
            close(fd)
            throw .corrupt("the file is empty")
        }
        var magic = [UInt8](repeating: 0, count: 8)
        let got = pread(fd, &magic, 8, 0)
        if got == 8, magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            close(fd)
            throw .encrypted
        }
        var err: Int32 = 0
        guard let za = zip_fdopen(fd, ZIP_RDONLY, &err) else {
            close(fd)  // zip_fdopen leaves the descriptor open on failure.
            throw Self.openError(err, path: path)
        }
        handle = za
        let count = zip_get_num_entries(za, 0)
        // `handle` is set: from here a throw runs deinit, which discards the archive.
        if count > Int64(limits.maxZipEntries) {
            throw .bomb(entry: "(central directory)", reason: "the archive lists \(count) entries, over the \(limits.maxZipEntries) a workbook may have")
        }
        for i in 0..<UInt64(max(count, 0)) {
            guard let name = zip_get_name(za, i, 0) else { continue }
            let key = Self.key(String(cString: name))
            // Two entries with one part name: which one a reader sees depends on the reader.
            guard entries[key] == nil else {
                throw .corrupt("two zip entries are named \(key); a workbook names each part once")
            }
            entries[key] = i
        }
    }

    deinit { zip_discard(handle) }

    /// The index of the part named `name` (any letter case, with or without a leading `/`).
    func index(of name: String) -> UInt64? { entries[Self.key(name)] }

    /// Opens an entry as a counted, bomb-checked byte stream.
    func open(index: UInt64, name: String) throws(ReaderError) -> ZipEntryStream {
        try ZipEntryStream(archive: self, handle: handle, index: index, name: name)
    }

    private static func key(_ name: String) -> String {
        var s = name.lowercased()
        if s.contains("\\") { s = String(s.map { $0 == "\\" ? "/" : $0 }) }
        while s.hasPrefix("/") { s.removeFirst() }
        return s
    }

    private static func openError(_ code: Int32, path: String) -> ReaderError {
        switch code {
        case ZIP_ER_NOZIP:
            return .corrupt("not a zip archive, or truncated: no end-of-central-directory record")
        case ZIP_ER_INCONS:
            return .corrupt("inconsistent zip archive")
        case ZIP_ER_OPEN, ZIP_ER_READ, ZIP_ER_SEEK, ZIP_ER_MEMORY:
            return .cannotOpen(path: path, reason: zipMessage(code))
        default:
            return .corrupt(zipMessage(code))
        }
    }

    static func zipMessage(_ code: Int32) -> String {
        var error = zip_error_t()
        zip_error_init_with_code(&error, code)
        defer { zip_error_fini(&error) }
        return String(cString: zip_error_strerror(&error))
    }
}
