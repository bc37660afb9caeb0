/// File-level read failures. Each message tells the user what is wrong and what to do.
public enum ReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedType(String)
    case cannotOpen(path: String, reason: String)
    case tooLarge(bytes: Int64, limit: Int64)
    case corrupt(String)
    case encrypted
    case noReadableSheet(String)
    case unsafeXML(String)
    case bomb(entry: String, reason: String)
    case malformed(row: Int, reason: String)
    case cellTooLarge(row: Int, limit: Int)

    /// A stable machine code for reports.
    public var code: String {
        switch self {
        case .unsupportedType: "unsupported_type"
        case .cannotOpen: "unreadable"
        case .tooLarge: "file_too_large"
        case .corrupt: "corrupt"
        case .encrypted: "encrypted"
        case .noReadableSheet: "no_readable_sheet"
        case .unsafeXML: "unsafe_xml"
        case .bomb: "zip_bomb"
        case .malformed: "malformed"
        case .cellTooLarge: "cell_too_large"
        }
    }

    public var description: String {
        switch self {
        case .unsupportedType(let name):
            "\(name): unsupported file type; drop a .csv, .tsv, .txt, .xlsx, .xlsm or .xls file"
        case .cannotOpen(let path, let reason):
            "cannot open \(path): \(reason)"
        case .tooLarge(let bytes, let limit):
            "file is \(bytes) bytes, over the \(limit)-byte limit; split it into smaller files"
        case .corrupt(let detail):
            "the file is corrupt or not what its extension says (\(detail)); re-save it from your spreadsheet program"
        case .encrypted:
            "the workbook is password-protected; save an unprotected copy and drop that"
        case .noReadableSheet(let detail):
            "the workbook has no readable worksheet (\(detail))"
        case .unsafeXML(let detail):
            "the workbook contains unsafe XML (\(detail)); re-save it from your spreadsheet program"
        case .bomb(let entry, let reason):
            "zip entry \(entry) was refused: \(reason)"
        case .malformed(let row, let reason):
            "row \(row): \(reason)"
        case .cellTooLarge(let row, let limit):
            "row \(row): a cell is larger than \(limit) bytes"
        }
    }
}
