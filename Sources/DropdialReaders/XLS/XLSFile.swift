import CFreeXL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-level checks and FreeXL status codes turned into `ReaderError`s a person can act on.
enum XLSFile {
    static func check(path: String, limits: ReaderLimits) throws(ReaderError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        let size = Int64(info.st_size)
        guard size <= limits.maxFileBytes else { throw .tooLarge(bytes: size, limit: limits.maxFileBytes) }
        guard size > 0 else { throw .corrupt("the .xls file is empty (0 bytes)") }
    }

    static func openError(_ status: Int32, path: String) -> ReaderError {
        switch status {
        case FREEXL_FILE_NOT_FOUND: return .cannotOpen(path: path, reason: "FreeXL cannot open it for reading")
        case FREEXL_INSUFFICIENT_MEMORY: return .cannotOpen(path: path, reason: "out of memory while loading the workbook")
        default: return .corrupt("\(sniff(path)); \(describe(status))")
        }
    }

    /// What the first bytes say the file really is.
    static func sniff(_ path: String) -> String {
        var magic = [UInt8](repeating: 0, count: 8)
        if let file = fopen(path, "rb") {
            magic.removeLast(8 - fread(&magic, 1, 8, file))
            fclose(file)
        }
        if magic == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            return "an OLE2 container without a readable Excel 97–2003 workbook (truncated, damaged, or not a spreadsheet)"
        }
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "a zip file, not an Excel 97–2003 workbook (an .xlsx named .xls? rename it to .xlsx)"
        }
        let text = magic.drop { [0xEF, 0xBB, 0xBF, 0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if text.first == UInt8(ascii: "<") {
            return "HTML or XML text, not an Excel 97–2003 workbook (save it as .xlsx or .csv)"
        }
        return "not an Excel 97–2003 workbook (no OLE2 signature; a text file named .xls?)"
    }

    static func describe(_ status: Int32) -> String {
        let what = switch status {
        case FREEXL_CFBF_READ_ERROR, FREEXL_CFBF_SEEK_ERROR: "the container ends early or cannot be read"
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE, FREEXL_CFBF_INVALID_SECTOR_SIZE:
            "bad OLE2 header"
        case FREEXL_CFBF_EMPTY_FAT_CHAIN, FREEXL_CFBF_ILLEGAL_FAT_ENTRY, FREEXL_INVALID_MINI_STREAM,
             FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY: "bad OLE2 allocation table"
        case FREEXL_BIFF_INVALID_BOF, FREEXL_BIFF_WORKBOOK_NOT_FOUND: "no Excel workbook stream"
        case FREEXL_BIFF_INVALID_SST, FREEXL_BIFF_ILLEGAL_SST_INDEX: "bad shared-string table"
        case FREEXL_INVALID_CHARACTER, FREEXL_UNSUPPORTED_CHARSET: "text in a character set FreeXL cannot convert"
        case FREEXL_ILLEGAL_RK_VALUE: "bad number record"
        case FREEXL_CRAFTED_FILE: "severely malformed, possibly crafted, records"
        default: "error"
        }
        return "FreeXL: \(what) (code \(status))"
    }
}
