import DropdialTestKit
import DropdialReaders
import Testing

/// Numbers, date/time formats (built-in and custom), rounding, the 1900 and 1904 systems.
@Suite struct XLSXNumberDateTests {
    /// cellXfs index i uses numFmtId ids[i]; custom codes go in numFmts.
    static func styles(_ ids: [Int], custom: [(Int, String)] = []) -> String {
        let fmts = custom.map { "<numFmt numFmtId=\"\($0.0)\" formatCode=\"\($0.1)\"/>" }.joined()
        let xfs = ids.map { "<xf numFmtId=\"\($0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" }.joined()
        return (custom.isEmpty ? "" : "<numFmts count=\"\(custom.count)\">\(fmts)</numFmts>")
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
            + "<cellXfs count=\"\(ids.count)\">\(xfs)</cellXfs>"
    }

    /// One row per (style index, value), each as a single A cell.
    static func column(_ cells: [(Int, String)]) -> String {
        cells.enumerated().map { i, cell in "<row r=\"\(i + 1)\"><c r=\"A\(i + 1)\" s=\"\(cell.0)\"><v>\(cell.1)</v></c></row>" }.joined()
    }

    /// 1e15 and above go through `CellText.number` (Swift's shortest round-trip text).
    @Test func numbersRenderAsDigitsOrShortestDecimal() throws {
        let values = ["42", "0.5", "1234.5678", "-42", "4155552671", "999999999999999", "1E+15", "1.5E+16",
                      "-1E+15", "4.15555E+09", "1.0", "-0", "0", "3.0000000000000004", " 7 "]
        let book = XLSXBuilder.workbook(rows: Self.column(values.map { (0, $0) }), styles: Self.styles([0]))
        #expect(try readCells(book).map { $0[0] } == [
            "42", "0.5", "1234.5678", "-42", "4155552671", "999999999999999", "1000000000000000.0", "1.5e+16",
            "-1000000000000000.0", "4155550000", "1", "0", "0", "3.0000000000000004", "7",
        ])
    }

    @Test func builtinDateAndTimeFormats() throws {
        // cellXfs: 0→14 date, 1→22 date-time, 2…5→18…21 times, 6…8→45…47 times, 9→0 General.
        let book = XLSXBuilder.workbook(rows: Self.column([
            (0, "45366"), (0, "45366.25"), (1, "45366.5"), (1, "45366"),
            (2, "0.75"), (3, "0.5"), (4, "0.25"), (5, "0.6"),
            (6, "0.001"), (7, "1.5"), (8, "1.1574074074074073E-5"), (9, "45366"),
            (2, "45366.75"),
        ]), styles: Self.styles([14, 22, 18, 19, 20, 21, 45, 46, 47, 0]))
        #expect(try readCells(book).map { $0[0] } == [
            "2024-03-15", "2024-03-15T06:00:00", "2024-03-15T12:00:00", "2024-03-15",
            "18:00:00", "12:00:00", "06:00:00", "14:24:00",
            "00:01:26", "1900-01-01T12:00:00", "00:00:01", "45366",
            "2024-03-15T18:00:00",
        ])
    }

    @Test func customFormatsWithDateTokensAreDates() throws {
        let custom: [(Int, String)] = [
            (164, "yyyy-mm-dd"), (165, "dd/mm/yyyy hh:mm"), (166, "&quot;Date: &quot;0"), (167, "[h]:mm:ss"),
            (168, "[Red]0.00"), (169, "[$-409]mmmm d, yyyy"), (170, "0.00E+00"), (171, "General"),
            (172, "#,##0 &quot;days&quot;"), (173, "\\d0"), (174, "mm:ss.0"), (175, "h:mm AM/PM"),
        ]
        let book = XLSXBuilder.workbook(rows: Self.column([
            (0, "45366"), (1, "45366.5"), (2, "45366"), (3, "0.5"), (3, "2.25"),
            (4, "45366"), (5, "45366"), (6, "45366"), (7, "45366"), (8, "45366"), (9, "45366"),
            (10, "0.0001"), (11, "0.5"),
        ]), styles: Self.styles(custom.map(\.0), custom: custom))
        #expect(try readCells(book).map { $0[0] } == [
            "2024-03-15", "2024-03-15T12:00:00", "45366", "12:00:00", "1900-01-02T06:00:00",
            "45366", "2024-03-15", "45366", "45366", "45366", "45366",
            "00:00:09", "12:00:00",
        ])
    }

    @Test func dateTimesRoundToTheNearestSecond() throws {
        // 13:59:59.9999 is 14:00:00; 23:59:59.6 carries into the next day.
        let almostTwo = 45366 + 50_399.9999 / 86_400
        let almostMidnight = 45366 + 86_399.6 / 86_400
        let book = XLSXBuilder.workbook(rows: Self.column([
            (0, "\(almostTwo)"), (0, "\(almostMidnight)"), (1, "\(50_399.9999 / 86_400)"), (1, "\(86_399.6 / 86_400)"),
        ]), styles: Self.styles([22, 21]))
        #expect(try readCells(book).map { $0[0] } == [
            "2024-03-15T14:00:00", "2024-03-16", "14:00:00", "1900-01-01T00:00:00",
        ])
    }

    @Test func excelsFictitiousLeapDay() throws {
        let book = XLSXBuilder.workbook(rows: Self.column([(0, "1"), (0, "59"), (0, "60"), (0, "61"), (0, "0")]),
                                        styles: Self.styles([14]))
        #expect(try readCells(book).map { $0[0] } == ["1900-01-01", "1900-02-28", "1900-02-29", "1900-03-01", "1899-12-31"])
    }

    @Test(arguments: ["1", "true"])
    func date1904System(flag: String) throws {
        // 43904 in the 1904 system is 45366 in the 1900 system: 2024-03-15.
        let book = XLSXBuilder.workbook(rows: Self.column([(0, "43904"), (0, "0"), (1, "43904.5"), (1, "0.5")]),
                                        styles: Self.styles([14, 22]), workbookPr: "date1904=\"\(flag)\"")
        #expect(try readCells(book).map { $0[0] } == ["2024-03-15", "1904-01-01", "2024-03-15T12:00:00", "1904-01-01T12:00:00"])
    }

    @Test func isoDateCells() throws {
        let values = ["2024-03-15T00:00:00", "2024-03-15T13:45:30", "2024-03-15T13:59:59.9999Z", "2024-03-15",
                      "2024-12-31T23:59:59.7", "12:30:00", "not a date"]
        let row = values.enumerated().map { "<c r=\"\(Character(UnicodeScalar(65 + $0.offset)!))1\" t=\"d\"><v>\($0.element)</v></c>" }.joined()
        let book = XLSXBuilder.workbook(rows: "<row r=\"1\">\(row)</row>")
        #expect(try readCells(book) == [[
            "2024-03-15", "2024-03-15T13:45:30", "2024-03-15T14:00:00", "2024-03-15",
            "2025-01-01", "12:30:00", "not a date",
        ]])
    }

    @Test func unknownStyleIndexIsAPlainNumber() throws {
        let book = XLSXBuilder.workbook(rows: Self.column([(5, "45366"), (0, "45366")]), styles: Self.styles([14]))
        #expect(try readCells(book).map { $0[0] } == ["45366", "2024-03-15"])
    }

    @Test func formatCodeClassification() {
        #expect(NumberFormatKind(code: "yyyy-mm-dd") == .date)
        #expect(NumberFormatKind(code: "m/d/yy h:mm") == .date)
        #expect(NumberFormatKind(code: "mmm") == .date)
        #expect(NumberFormatKind(code: "[h]:mm:ss") == .time)
        #expect(NumberFormatKind(code: "[mm]") == .time)
        #expect(NumberFormatKind(code: "mm:ss") == .time)
        #expect(NumberFormatKind(code: "h:mm AM/PM") == .time)
        #expect(NumberFormatKind(code: "[$-F400]h:mm:ss\\ AM/PM") == .time)
        #expect(NumberFormatKind(code: "[$-409]mmmm d, yyyy") == .date)
        #expect(NumberFormatKind(code: "\"Date: \"0") == .number)
        #expect(NumberFormatKind(code: "[Red]0.00") == .number)
        #expect(NumberFormatKind(code: "0.00E+00") == .number)
        #expect(NumberFormatKind(code: "General") == .number)
        #expect(NumberFormatKind(code: "#,##0_);[Red](#,##0)") == .number)
        #expect(NumberFormatKind(code: "_-* #,##0.00\\ \"€\"_-") == .number)
        #expect(NumberFormatKind(code: "0\\h") == .number)
        #expect(NumberFormatKind(code: "@") == .number)
        #expect(NumberFormatKind(builtinID: 14) == .date)
        #expect(NumberFormatKind(builtinID: 22) == .date)
        #expect((18...21).allSatisfy { NumberFormatKind(builtinID: $0) == .time })
        #expect((45...47).allSatisfy { NumberFormatKind(builtinID: $0) == .time })
        #expect(NumberFormatKind(builtinID: 2) == .number)
    }

    @Test func dateTimeFromSerial() {
        #expect(CellText.dateTime(serial: 45366, date1904: false, timeFormat: false) == "2024-03-15")
        #expect(CellText.dateTime(serial: 45366 + 50_399.9999 / 86_400, date1904: false, timeFormat: false) == "2024-03-15T14:00:00")
        #expect(CellText.dateTime(serial: 0.5, date1904: false, timeFormat: true) == "12:00:00")
        #expect(CellText.dateTime(serial: 0, date1904: false, timeFormat: true) == "00:00:00")
        #expect(CellText.dateTime(serial: 45366.5, date1904: false, timeFormat: true) == "2024-03-15T12:00:00")
        #expect(CellText.dateTime(serial: 2_958_465, date1904: false, timeFormat: false) == "9999-12-31")
        #expect(CellText.dateTime(serial: -1, date1904: false, timeFormat: false) == "-1")
        #expect(CellText.dateTime(serial: 3_000_000, date1904: false, timeFormat: false) == "3000000")
        #expect(CellText.dateTime(serial: 43904, date1904: true, timeFormat: false) == "2024-03-15")
    }
}
