import CFreeXL

/// The sheet an XLS import reads, chosen and measured through FreeXL.
struct XLSSheet {
    var name: String?
    var columns: UInt16
    /// One past the last row (0-based) holding a non-empty cell; 0 when the sheet has none.
    var endRow: UInt32

    /// Selects the sheet to read (see `XLSRowSource` for the rule) and leaves it active in FreeXL.
    static func select(in handle: UnsafeRawPointer) throws(ReaderError) -> XLSSheet {
        var info: UInt32 = 0
        if freexl_get_info(handle, UInt16(FREEXL_BIFF_PASSWORD), &info) == FREEXL_OK,
           info == UInt32(FREEXL_BIFF_OBFUSCATED) {
            throw .encrypted
        }
        guard freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &info) == FREEXL_OK else {
            throw .noReadableSheet("FreeXL could not count its sheets")
        }
        guard info > 0 else { throw .noReadableSheet("it has no sheets") }
        let count = UInt16(clamping: info)
        let first = try load(index: 0, in: handle)
        if first.endRow > 0 || count == 1 { return first }
        // Sheet 0 holds no value: a chart sheet or an empty sheet in front of the data.
        for index in 1..<count {
            let sheet = try load(index: index, in: handle)
            if sheet.endRow > 0 { return sheet }
        }
        return try load(index: 0, in: handle)
    }

    private static func load(index: UInt16, in handle: UnsafeRawPointer) throws(ReaderError) -> XLSSheet {
        let selected = freexl_select_active_worksheet(handle, index)
        guard selected == FREEXL_OK else {
            throw .noReadableSheet("FreeXL could not select sheet \(index + 1): \(XLSFile.describe(selected))")
        }
        var namePointer: UnsafePointer<CChar>?
        let name = freexl_get_worksheet_name(handle, index, &namePointer) == FREEXL_OK
            ? namePointer.map { String(cString: $0) } : nil
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        // FreeXL 1.0.6 returns counts here (a 4×2 sheet gives rows 4, columns 2), not the last
        // zero-based indices its header comment describes.
        let measured = freexl_worksheet_dimensions(handle, &rows, &columns)
        guard measured == FREEXL_OK else {
            throw .noReadableSheet("FreeXL could not measure sheet \(index + 1): \(XLSFile.describe(measured))")
        }
        var endRow = rows
        while endRow > 0, try !hasValue(row: endRow - 1, columns: columns, in: handle) {
            endRow -= 1
        }
        return XLSSheet(name: name, columns: columns, endRow: endRow)
    }

    private static func hasValue(row: UInt32, columns: UInt16, in handle: UnsafeRawPointer) throws(ReaderError) -> Bool {
        for column in 0..<columns where try !XLSCell.text(handle: handle, row: row, column: column).isEmpty {
            return true
        }
        return false
    }
}
