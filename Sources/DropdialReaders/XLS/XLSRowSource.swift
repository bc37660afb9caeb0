import CFreeXL

/// Reads the first sheet of an Excel 97–2003 workbook (BIFF5/BIFF8) through FreeXL (SPEC §4).
///
/// FreeXL parses the whole workbook into memory on open; that is bounded because BIFF caps a sheet
/// at 65,536 rows × 256 columns and the file itself is capped by `ReaderLimits.maxFileBytes`.
///
/// Sheet choice: FreeXL's sheet 0 (first in BIFF order, hidden or not). FreeXL cannot say whether a
/// sheet is a worksheet or a chart: a chart sheet shows up as a 1×1 sheet with no values (Gnumeric
/// even writes it as a worksheet record). So when sheet 0 has no non-empty cell, the first later
/// sheet that has one is read instead; when no sheet has any, sheet 0 is read (and yields no rows).
///
/// FreeXL's limits, which this reader cannot undo: formulas read as empty (no cached results);
/// booleans read as the numbers 1/0; error cells read as 1 (or 0 for `#NULL!`); date/time cells
/// are typed by their format, so a date format drops a time part and a time format drops the date;
/// seconds are truncated, not rounded.
public final class XLSRowSource: RowSource {
    public let format: FileFormat = .xls
    public let sheetName: String?

    private let handle: UnsafeRawPointer
    private let limits: ReaderLimits
    private let columnCount: UInt16
    /// One past the last row (0-based) that has a non-empty cell; rows after it are not yielded.
    private let endRow: UInt32
    private var nextIndex: UInt32 = 0

    public init(path: String, limits: ReaderLimits) throws(ReaderError) {
        try XLSFile.check(path: path, limits: limits)
        var opened: UnsafeRawPointer?
        let status = freexl_open(path, &opened)
        guard status == FREEXL_OK, let handle = opened else {
            if let opened { freexl_close(opened) }
            throw XLSFile.openError(status, path: path)
        }
        do {
            let sheet = try XLSSheet.select(in: handle)
            self.handle = handle
            self.limits = limits
            self.sheetName = sheet.name
            self.columnCount = sheet.columns
            self.endRow = sheet.endRow
        } catch {
            freexl_close(handle)
            throw error
        }
    }

    deinit { freexl_close(handle) }

    public func nextRow() throws(ReaderError) -> SourceRow? {
        guard nextIndex < endRow else { return nil }
        let row = nextIndex
        nextIndex += 1
        var cells: [String] = []
        var lastNonEmpty = -1
        for column in 0..<columnCount {
            let text = try XLSCell.text(handle: handle, row: row, column: column)
            if text.utf8.count > limits.maxCellBytes {
                throw .cellTooLarge(row: Int(row) + 1, limit: limits.maxCellBytes)
            }
            cells.append(text)
            if !text.isEmpty { lastNonEmpty = cells.count - 1 }
        }
        cells.removeLast(cells.count - (lastNonEmpty + 1))
        return SourceRow(number: Int(row) + 1, cells: cells)
    }
}
