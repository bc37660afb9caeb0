/// The kinds of file the readers take, and the extensions that name them: the one list the
/// pickup (what a drop is) and the import (how to read it) share.
public enum FileFormat: String, Sendable, Codable, CaseIterable {
    case csv, xlsx, xls
    /// A JSON array of objects: `add-calls` only, never a dropped file.
    case json

    /// Extensions of dropped files (lower case) and how each is read: `.csv`, `.tsv`, `.txt` are
    /// delimited text; `.xlsx` and `.xlsm` (macros are never run) are workbooks read as XLSX; `.xls` is BIFF.
    public static let dropExtensions: [String: FileFormat] = [
        "csv": .csv, "tsv": .csv, "txt": .csv, "xlsx": .xlsx, "xlsm": .xlsx, "xls": .xls,
    ]

    /// The format a dropped or imported file's name says (`.json` is not one: see `acceptingJSON`).
    /// With `acceptingJSON` (add-calls), a `.json` name is `.json` too. The one decision every
    /// command, the pickup and the HTTP upload share.
    public init?(fileName: String, acceptingJSON: Bool = false) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        if acceptingJSON && ext == "json" { self = .json; return }
        guard let format = Self.dropExtensions[ext] else { return nil }
        self = format
    }
}
