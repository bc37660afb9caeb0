/// A stream of rows from one file's first sheet. The one seam between readers and import.
public protocol RowSource: AnyObject {
    var format: FileFormat { get }
    /// The sheet's name for workbooks; nil for delimited text.
    var sheetName: String? { get }
    /// The next row in file order, or nil at the end. Errors are file-level.
    func nextRow() throws(ReaderError) -> SourceRow?
}

public enum RowReader {
    /// Opens `path` with the reader its extension names (`FileFormat(fileName:acceptingJSON:)`).
    public static func open(path: String, limits: ReaderLimits = .default, acceptingJSON: Bool = false)
        throws(ReaderError) -> any RowSource {
        guard let format = FileFormat(fileName: path, acceptingJSON: acceptingJSON) else {
            throw .unsupportedType(path.split(separator: "/").last.map(String.init) ?? path)
        }
        switch format {
        case .csv: return try CSVRowSource(path: path, limits: limits)
        case .xlsx: return try XLSXRowSource(path: path, limits: limits)
        case .xls: return try XLSRowSource(path: path, limits: limits)
        case .json: return try JSONArrayRowSource(path: path, limits: limits)
        }
    }
}

/// Caps that keep a hostile file from exhausting memory or disk.
public struct ReaderLimits: Sendable {
    /// Largest input file accepted, in bytes.
    public var maxFileBytes: Int64
    /// Largest inflated size of one zip entry, in bytes.
    public var maxEntryBytes: Int64
    /// Largest inflated/compressed ratio tolerated for entries above `ratioFloorBytes`.
    public var maxInflateRatio: Int64
    /// Entries that inflate to less than this are never ratio-checked.
    public var ratioFloorBytes: Int64
    /// Largest single cell, in bytes.
    public var maxCellBytes: Int
    /// Most entries a zip may list (real workbooks have tens to hundreds).
    public var maxZipEntries: Int
    /// Most cell text a worksheet may draw from its shared strings, in bytes: one string
    /// referenced by every cell would otherwise expand a small file into terabytes.
    public var maxSharedTextBytes: Int64

    public init(maxFileBytes: Int64, maxEntryBytes: Int64, maxInflateRatio: Int64, ratioFloorBytes: Int64, maxCellBytes: Int,
                maxZipEntries: Int = 10_000, maxSharedTextBytes: Int64 = 512 << 20) {
        self.maxFileBytes = maxFileBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxInflateRatio = maxInflateRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maxCellBytes = maxCellBytes
        self.maxZipEntries = maxZipEntries
        self.maxSharedTextBytes = maxSharedTextBytes
    }

    public static let `default` = ReaderLimits(
        maxFileBytes: 512 << 20, maxEntryBytes: 4 << 30, maxInflateRatio: 200,
        ratioFloorBytes: 16 << 20, maxCellBytes: 1 << 20)
}
