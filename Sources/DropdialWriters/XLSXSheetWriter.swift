import CXLSXWriter

/// Why a workbook could not be written; the message says what to do.
public enum XLSXWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    case open(path: String)
    case tooManyRows(Int)
    case write(String)

    public var description: String {
        switch self {
        case .open(let path): "cannot create the workbook \(path) (is its folder writable?)"
        case .tooManyRows(let n): "\(n) rows do not fit in one sheet (at most \(XLSXSheetWriter.maxRows - 1) after the header); export as CSV instead"
        case .write(let reason): "cannot write the workbook: \(reason)"
        }
    }
}

/// One sheet of text cells written to an `.xlsx` file by libxlsxwriter in constant-memory mode
/// (each row goes to disk as it is written, so memory does not grow with the rows). Every cell
/// is stored as a string, so Excel keeps `+14155550132` and leading zeros as written.
public final class XLSXSheetWriter {
    /// Rows in one sheet, the header included (Excel's limit).
    public static let maxRows = Int(LXW_ROW_MAX)
    /// Characters in one cell (Excel's limit); a longer text is cut and ends in `…`.
    public static let maxCellCharacters = 32_767

    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private let sheet: UnsafeMutablePointer<lxw_worksheet>
    private var row: UInt32 = 0
    private let path: String

    /// Creates the workbook at `path` with one sheet named `sheetName`; temporary files go to
    /// `tempFolder`.
    public init(path: String, sheetName: String, tempFolder: String) throws(XLSXWriteError) {
        self.path = path
        let book: UnsafeMutablePointer<lxw_workbook>? = tempFolder.withCString { tmp in
            var options = lxw_workbook_options(constant_memory: 1, tmpdir: UnsafeMutablePointer(mutating: tmp), use_zip64: 1)
            return workbook_new_opt(path, &options)
        }
        guard let book, let ws = workbook_add_worksheet(book, sheetName) else {
            throw .open(path: path)
        }
        workbook = book
        sheet = ws
    }

    deinit {
        if let workbook { workbook_close(workbook) }
    }

    /// Appends one row of text cells.
    public func write(_ cells: [String]) throws(XLSXWriteError) {
        guard Int(row) < Self.maxRows else { throw .tooManyRows(Int(row)) }
        for (column, cell) in cells.enumerated() where !cell.isEmpty {
            // Excel holds at most 32,767 characters in a cell.
            let text = cell.unicodeScalars.count > Self.maxCellCharacters
                ? String(String.UnicodeScalarView(cell.unicodeScalars.prefix(Self.maxCellCharacters - 1))) + "…" : cell
            let rc = worksheet_write_string(sheet, row, lxw_col_t(column), text, nil)
            guard rc == LXW_NO_ERROR else { throw .write(String(cString: lxw_strerror(rc))) }
        }
        row += 1
    }

    /// Finishes the file (the zip container is written here).
    public func close() throws(XLSXWriteError) {
        guard let book = workbook else { return }
        workbook = nil
        let rc = workbook_close(book)
        guard rc == LXW_NO_ERROR else { throw .write(String(cString: lxw_strerror(rc))) }
    }
}
