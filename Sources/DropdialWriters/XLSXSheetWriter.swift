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
    /// Formats are owned by the workbook; created on first use.
    private var headerFormat: UnsafeMutablePointer<lxw_format>?
    private var markedFormat: UnsafeMutablePointer<lxw_format>?

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

    /// The fill of a marked cell: Excel's own "light red fill with dark red text".
    public static let markedFill: UInt32 = 0xFFC7CE
    public static let markedFont: UInt32 = 0x9C0006

    /// Appends one row of text cells.
    public func write(_ cells: [String]) throws(XLSXWriteError) {
        try write(cells, marked: [:])
    }

    /// Appends the header row: bold text cells, frozen above the rows that follow.
    public func writeHeader(_ cells: [String]) throws(XLSXWriteError) {
        guard let book = workbook else { throw .write("the workbook is closed") }
        if headerFormat == nil, let f = workbook_add_format(book) {
            format_set_bold(f)
            headerFormat = f
        }
        if row == 0 { worksheet_freeze_panes(sheet, 1, 0) }
        try write(cells, marked: [:], format: headerFormat)
    }

    /// Appends one row of text cells; each column in `marked` is filled red and, with `comments`,
    /// carries its text as the cell's comment (what is wrong with it).
    public func write(_ cells: [String], marked: [Int: String], comments: Bool = true) throws(XLSXWriteError) {
        try write(cells, marked: marked, comments: comments, format: nil)
    }

    private func write(_ cells: [String], marked: [Int: String], comments: Bool = true,
                       format: UnsafeMutablePointer<lxw_format>?) throws(XLSXWriteError) {
        guard Int(row) < Self.maxRows else { throw .tooManyRows(Int(row)) }
        if !marked.isEmpty, markedFormat == nil, let book = workbook, let f = workbook_add_format(book) {
            format_set_bg_color(f, lxw_color_t(Self.markedFill))
            format_set_font_color(f, lxw_color_t(Self.markedFont))
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            markedFormat = f
        }
        for (column, cell) in cells.enumerated() {
            let comment = marked[column]
            guard !cell.isEmpty || comment != nil else { continue }
            let rc = worksheet_write_string(sheet, row, lxw_col_t(column), Self.fitted(cell),
                                            comment == nil ? format : markedFormat)
            guard rc == LXW_NO_ERROR else { throw .write(String(cString: lxw_strerror(rc))) }
            if comments, let comment {
                let rc = worksheet_write_comment(sheet, row, lxw_col_t(column), Self.fitted(comment))
                guard rc == LXW_NO_ERROR else { throw .write(String(cString: lxw_strerror(rc))) }
            }
        }
        row += 1
    }

    /// Excel holds at most 32,767 characters in a cell; a longer text is cut and ends in `…`.
    static func fitted(_ cell: String) -> String {
        cell.unicodeScalars.count > maxCellCharacters
            ? String(String.UnicodeScalarView(cell.unicodeScalars.prefix(maxCellCharacters - 1))) + "…" : cell
    }

    /// Finishes the file (the zip container is written here).
    public func close() throws(XLSXWriteError) {
        guard let book = workbook else { return }
        workbook = nil
        let rc = workbook_close(book)
        guard rc == LXW_NO_ERROR else { throw .write(String(cString: lxw_strerror(rc))) }
    }
}
