import DropdialTestKit
@testable import DropdialDaemon
import DropdialImport
import Foundation
import Testing

/// `NAME.errors.csv`: its rows neutralized and quoted (`CSVCellsTests` holds each cell), written to
/// its staged path as rows come, the size limit.
@Suite struct ErrorsCSVTests {
    /// The hook writes the header once, then each rejected row with its `error` column, every
    /// cell neutralized (the header and the message included).
    static func written(_ csv: ErrorsCSV, _ path: String) throws -> Data? {
        guard csv.close() else { return nil }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func rowsAreWrittenNeutralized() throws {
        let path = Scratch.path("errors", suffix: ".csv")
        let csv = ErrorsCSV(path: path)
        let issue = RowIssue(row: 2, column: "tz", value: "Mars", code: .timezoneInvalid, message: "bad zone")
        csv.hook(["phone", "=name"], ["+14155550132", "@x"], [issue])
        csv.hook(["phone", "=name"], ["4155550133", "ok"], [issue])
        let data = try #require(try Self.written(csv, path))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self)
            == "phone,'=name,error\r\n'+14155550132,'@x,tz: bad zone\r\n4155550133,ok,tz: bad zone\r\n")
        let none = Scratch.path("none", suffix: ".csv")
        #expect(try Self.written(ErrorsCSV(path: none), none) == nil, "no rejected row, no file")
        #expect(!FileManager.default.fileExists(atPath: none))
    }

    /// The list stops once it reaches the limit, with one last line saying so (the byte count
    /// is kept as rows are added, not recounted per row).
    @Test func theListStopsAtTheByteLimit() throws {
        let path = Scratch.path("errors-big", suffix: ".csv")
        let csv = ErrorsCSV(path: path)
        let big = String(repeating: "x", count: 1 << 20)
        for _ in 0..<40 { csv.hook(["phone", "notes"], ["1", big], []) }
        let text = String(decoding: try #require(try Self.written(csv, path)).dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 1 + 32 + 1 + 1, "header, 32 rows of 1 MiB, the last line, and the end")
        #expect(lines[33] == "\"(the list stops here at 32 MB; the report lists every rejected row)\"")
        #expect(text.utf8.count >= ErrorsCSV.byteLimit && text.utf8.count < ErrorsCSV.byteLimit + (2 << 20))
    }
}
