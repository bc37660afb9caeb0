import CFreeXL

/// Renders one FreeXL cell as SPEC §4 text.
enum XLSCell {
    static func text(handle: UnsafeRawPointer, row: UInt32, column: UInt16) throws(ReaderError) -> String {
        var cell = FreeXL_CellValue()
        let status = freexl_get_cell_value(handle, row, column, &cell)
        guard status == FREEXL_OK else {
            throw .corrupt("cannot read row \(row + 1), column \(column + 1): \(XLSFile.describe(status))")
        }
        switch Int32(cell.type) {
        case FREEXL_CELL_NULL:
            return ""
        case FREEXL_CELL_INT:
            return CellText.number(Double(cell.value.int_value))
        case FREEXL_CELL_DOUBLE:
            return CellText.number(cell.value.double_value)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_TIME:
            // DATE is already `YYYY-MM-DD`, TIME `HH:MM:SS`.
            return cell.value.text_value.map { String(cString: $0) } ?? ""
        case FREEXL_CELL_DATETIME:
            return cell.value.text_value.map { dateTime(String(cString: $0)) } ?? ""
        default:
            throw .corrupt("row \(row + 1), column \(column + 1) has a cell type FreeXL does not name (\(cell.type))")
        }
    }

    /// FreeXL writes `YYYY-MM-DD HH:MM:SS`; SPEC §4 wants `YYYY-MM-DDTHH:MM:SS`, or the date alone at midnight.
    static func dateTime(_ text: String) -> String {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return text }
        return parts[1] == "00:00:00" ? String(parts[0]) : "\(parts[0])T\(parts[1])"
    }
}
