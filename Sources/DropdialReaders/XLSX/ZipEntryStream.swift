internal import CZip

/// One zip entry inflated on demand. Every inflated byte is counted as it arrives — the sizes the
/// zip declares are never trusted — and reading stops with `.bomb` once the entry passes
/// `maxEntryBytes` or, past `ratioFloorBytes`, inflates more than `maxInflateRatio` times its
/// compressed size.
final class ZipEntryStream {
    let name: String
    /// Set when a read failed; the XML layer reports it instead of libxml2's generic I/O error.
    private(set) var failure: ReaderError?
    private(set) var inflated: Int64 = 0
    private let archive: ZipArchive  // keeps the zip_t alive while this entry is open
    private let file: OpaquePointer
    private let compressed: Int64
    private let limits: ReaderLimits

    init(archive: ZipArchive, handle: OpaquePointer, index: UInt64, name: String) throws(ReaderError) {
        self.archive = archive
        self.name = name
        self.limits = archive.limits
        var st = zip_stat_t()
        zip_stat_init(&st)
        guard zip_stat_index(handle, index, 0, &st) == 0 else {
            throw .corrupt("\(name): unreadable zip entry")
        }
        if st.valid & UInt64(ZIP_STAT_ENCRYPTION_METHOD) != 0, st.encryption_method != UInt16(ZIP_EM_NONE) {
            throw .encrypted
        }
        let declared = st.valid & UInt64(ZIP_STAT_COMP_SIZE) != 0 ? Int64(clamping: st.comp_size) : archive.fileBytes
        // The compressed bytes cannot exceed the file, whatever the directory claims.
        compressed = max(1, min(declared, archive.fileBytes))
        // A declared size already over a limit is refused before inflating anything; a size that
        // lies is still caught by counting in `read`.
        if st.valid & UInt64(ZIP_STAT_SIZE) != 0 {
            let size = Int64(clamping: st.size)
            if size > limits.maxEntryBytes {
                throw .bomb(entry: name, reason: "declares \(size) bytes inflated, over \(limits.maxEntryBytes)")
            }
            if size > limits.ratioFloorBytes, size / compressed > limits.maxInflateRatio {
                throw .bomb(entry: name, reason: "declares \(size / compressed) times its compressed size, over \(limits.maxInflateRatio)")
            }
        }
        guard let f = zip_fopen_index(handle, index, 0) else {
            let code = zip_error_code_zip(zip_get_error(handle))
            if code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP { throw .encrypted }
            throw .corrupt("\(name): \(ZipArchive.zipMessage(code))")
        }
        file = f
    }

    deinit { zip_fclose(file) }

    /// Reads up to `count` inflated bytes; 0 at the end, -1 on failure (see `failure`).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        if failure != nil { return -1 }
        let n = zip_fread(file, buffer, UInt64(count))
        if n < 0 {
            let code = zip_error_code_zip(zip_file_get_error(file))
            failure = .corrupt("\(name): \(ZipArchive.zipMessage(code))")
            return -1
        }
        inflated += n
        if inflated > limits.maxEntryBytes {
            failure = .bomb(entry: name, reason: "inflates to more than \(limits.maxEntryBytes) bytes")
            return -1
        }
        if inflated > limits.ratioFloorBytes, inflated / compressed > limits.maxInflateRatio {
            failure = .bomb(entry: name, reason: "inflates more than \(limits.maxInflateRatio) times its compressed size")
            return -1
        }
        return Int(n)
    }
}
