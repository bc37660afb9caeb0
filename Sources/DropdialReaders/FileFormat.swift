/// The container formats dropdial reads, decided by file extension (case-insensitive).
public enum FileFormat: String, Sendable, Codable, CaseIterable {
    case csv, xlsx, xls
    /// A JSON array of objects: `add-calls` only, never a dropped file.
    case json

    /// `.csv`, `.tsv`, `.txt` are delimited text; `.xlsx` and `.xls` are workbooks.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "csv", "tsv", "txt": self = .csv
        case "xlsx": self = .xlsx
        case "xls": self = .xls
        default: return nil
        }
    }
}
