import DropdialStore
import DropdialWriters

/// The results export as a workbook file: one sheet, `results`, the header then every call.
/// The one writer of it, for `GET /api/call/export/{id}?format=xlsx` and `dropdial export`.
public enum ResultsWorkbook {
    public static func write(_ export: ResultsExport, store: any StoreEngine, to path: String, tempFolder: String) throws {
        let sheet = try XLSXSheetWriter(path: path, sheetName: "results", tempFolder: tempFolder)
        try sheet.write(export.header)
        try export.forEachRow(store) { try sheet.write($0) }
        try sheet.close()
    }
}
