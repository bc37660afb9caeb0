import DropdialReaders
import DropdialTestKit
import DropdialWriters
import Foundation
import Testing

/// The workbook writer, read back by dropdial's own XLSX reader: every cell comes back as the
/// text it was written, leading `+` and zeros included.
@Suite struct XLSXSheetWriterTests {
    @Test func cellsComeBackAsWrittenText() throws {
        let folder = try Scratch.folder("xlsx-writer").path
        let path = folder + "/out.xlsx"
        let rows: [[String]] = [
            ["phone_number", "name", "zip", "notes"],
            ["+14155550132", "Zoë Müller", "02134", "=SUM(A1:A2)"],
            ["+14155550133", "", "00007", "line\nbreak, \"quoted\""],
        ]
        let writer = try XLSXSheetWriter(path: path, sheetName: "calls", tempFolder: folder)
        for row in rows { try writer.write(row) }
        try writer.close()

        let source = try RowReader.open(path: path)
        #expect(source.sheetName == "calls")
        var read: [[String]] = []
        while let row = try source.nextRow() { read.append(row.cells) }
        #expect(read == rows)
    }

    @Test func aCellOverExcelsLimitIsCut() throws {
        let folder = try Scratch.folder("xlsx-writer").path
        let path = folder + "/long.xlsx"
        let writer = try XLSXSheetWriter(path: path, sheetName: "s", tempFolder: folder)
        try writer.write([String(repeating: "é", count: 40_000)])
        try writer.close()
        let source = try RowReader.open(path: path)
        let cell = try #require(try source.nextRow()?.cells.first)
        #expect(cell.unicodeScalars.count == XLSXSheetWriter.maxCellCharacters && cell.hasSuffix("…"))
    }

    @Test func anUnwritableFolderIsAClearError() {
        #expect(throws: XLSXWriteError.self) {
            let writer = try XLSXSheetWriter(path: "/nonexistent-folder/x.xlsx", sheetName: "s", tempFolder: "/tmp")
            try writer.write(["a"])
            try writer.close()
        }
    }
}
