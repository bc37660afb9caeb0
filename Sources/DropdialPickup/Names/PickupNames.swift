import DropdialConfig
import DropdialReaders

/// The naming rules of an inbox: what is in flight, what is the daemon's own, what is data.
///
/// Pure string rules, so the watcher, the scanner and the claim agree on one table.
public enum PickupNames {
    /// The per-inbox work folder that claimed files are renamed into (a dot-folder, so it is ignored).
    public static let workFolder = ".dropdial-work"
    /// Where finished files go.
    public static let processedFolder = "processed"
    /// Where rejected, failed and unaccepted files go.
    public static let failedFolder = "failed"

    /// Extensions read as contact tables (compared case-insensitively): the readers' own list.
    public static let acceptedExtensions = Set(FileFormat.dropExtensions.keys)
    /// Suffixes of uploads still in flight (compared case-insensitively).
    public static let inFlightSuffixes = [".filepart", ".partial", ".part", ".tmp", ".lftp", ".crdownload"]
    /// Suffixes of files the daemon writes or reads only alongside a data file.
    public static let ownSuffixes = [reportSuffix, errorsSuffix, workbookSuffix, manifestSuffix]

    public static let reportSuffix = ".report.json"
    public static let errorsSuffix = ".errors.csv"
    public static let workbookSuffix = ".errors.xlsx"
    public static let manifestSuffix = ManifestName.suffix

    /// Classifies one directory entry name (no path).
    public static func classify(_ name: String) -> NameClass {
        reasonIgnored(name) == nil ? .take : .ignore
    }

    /// Why a name is ignored, for logs; nil when it is to be taken.
    public static func reasonIgnored(_ name: String) -> String? {
        if name.isEmpty || name == "." || name == ".." { return "not a file name" }
        if name.hasPrefix(".") { return "dot-file" }
        if name.hasPrefix("~$") { return "office lock file" }
        if name == processedFolder || name == failedFolder { return "the daemon's own folder" }
        let lower = name.lowercased()
        if let s = inFlightSuffixes.first(where: { lower.hasSuffix($0) }) { return "upload in flight (\(s))" }
        if lower.hasSuffix(manifestSuffix) { return "manifest (read with its data file)" }
        if ownSuffixes.contains(where: { lower.hasSuffix($0) }) { return "the daemon's own file" }
        return nil
    }

    /// True when the extension is one of ``acceptedExtensions``.
    public static func isAcceptedData(_ name: String) -> Bool {
        guard let ext = fileExtension(name) else { return false }
        return acceptedExtensions.contains(ext.lowercased())
    }

    /// True for a zip workbook (`.xlsx`, `.xlsm`, any case): such files are checked for a
    /// complete zip before they are taken.
    public static func isXLSX(_ name: String) -> Bool {
        FileFormat(fileName: name) == .xlsx
    }

    /// The manifest that goes with a data file: `contacts.csv` → `contacts.batch.json`.
    public static func manifestName(for dataName: String) -> String {
        ManifestName.forDataFile(dataName)
    }

    /// The text after the last dot, if the dot is not the first character.
    static func fileExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return String(name[name.index(after: dot)...])
    }

    /// The name without its last extension.
    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
