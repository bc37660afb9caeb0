import DropdialTestKit
import DropdialReaders
import Foundation
import Testing

/// The XLS reader against files written by real producers (scripts/make_fixtures.py) and
/// the rows expected.json derives from the same input table.
@Suite("XLS reader")
struct XLSReaderTests {
    static let contactFiles = [
        "xlwt.xls",                        // BIFF8, shared strings
        "xlwt_1904.xls",                   // BIFF8, 1904 date system
        "ssconvert.xls",                   // Gnumeric BIFF8 from a CSV
        "ssconvert_biff5.xls",             // Gnumeric BIFF5 (Excel 95): Windows-1252 text records
    ]

    /// The XLS reader's own cases (issue 14): each file with its rows in expected.json's "xls" table.
    static let caseFiles = [
        "formulas_biff8.xls",              // cached numbers, strings, booleans, errors; BOOLERR; date formats on times
        "formulas_biff5.xls",              // the same in BIFF5
        "formula_first.xls",               // the first sheet holds only a formula (namesdemo.xls)
        "hidden_first.xls",                // a hidden first worksheet
        "embedded_chart.xls",              // a chart substream inside the sheet
        "chart_sheet_first.xls",           // a chart sheet (BOUNDSHEET type 2) in front of the data
        "ssconvert_chartsheet_first.xls",  // Gnumeric's chart sheet: an empty worksheet, read as such
        "book_stream_upper.xls",           // the workbook stream named BOOK
        "xlwt_no_strings.xls",             // an SST with no strings
        "xlwt_sst_continue.xls",           // an SST across CONTINUE records, strings split at them
        "biff5_cp1252.xls", "biff5_cp1251.xls", "biff5_cp1258.xls",  // BIFF5 code pages
    ]

    @Test("XLS cases read as expected.json says", arguments: caseFiles)
    func casesMatchExpected(file: String) throws {
        let table = try ExpectedRows.load().xls
        let source = try XLSRowSource(path: try FixturePaths.generated(file), limits: .default)
        #expect(source.sheetName == (try table.file(file).sheet))
        #expect(try readAll(source).map(\.cells) == (try table.rows(for: file)))
    }

    @Test("contact table reads as expected.json says", arguments: contactFiles)
    func contactsMatchExpected(file: String) throws {
        let expected = try ExpectedRows.load().contacts
        let source = try XLSRowSource(path: try FixturePaths.generated(file), limits: .default)
        let rows = try readAll(source)
        #expect(source.format == .xls)
        #expect(source.sheetName == (try expected.file(file).sheet))
        #expect(rows.map(\.cells) == (try expected.rows(for: file)))
        #expect(rows.map(\.number) == Array(1...rows.count))
    }

    @Test("types table reads as expected.json says")
    func typesMatchExpected() throws {
        let expected = try ExpectedRows.load().types
        let source = try XLSRowSource(path: try FixturePaths.generated("types_xlwt.xls"), limits: .default)
        #expect(source.sheetName == "Types")
        #expect(try readAll(source).map(\.cells) == (try expected.rows(for: "types_xlwt.xls")))
    }

    @Test("dates, date-times and times render as ISO text")
    func datesAndTimes() throws {
        let values = try typeValues()
        #expect(values["date"] == "2024-03-15")
        #expect(values["datetime_midnight"] == "2024-03-15")  // time part 00:00:00 → date only
        #expect(values["datetime"] == "2024-03-15T13:45:30")
        #expect(values["time"] == "09:30:00")
        // xlwt drops the microseconds, so 13:59:59.9999 was written as 13:59:59.
        #expect(values["datetime_rounds_up"] == "2024-03-15T13:59:59")
        // SPEC §4: a time format on a value with a date part, and a date format on one with a
        // time part, print the full date-time (FreeXL dropped the other part).
        #expect(values["time_format_with_date"] == "2024-03-15T12:00:00")
        #expect(values["date_format_with_time"] == "2024-03-15T13:00:00")
        // 1900 and 1904 date systems give the same dates for the same input.
        for file in ["xlwt.xls", "xlwt_1904.xls", "ssconvert.xls"] {
            let rows = try readAll(XLSRowSource(path: try FixturePaths.generated(file), limits: .default))
            #expect(rows[1].cells[6] == "2024-03-15", "\(file)")
            #expect(rows[4].cells[6] == "2024-02-29", "\(file)")
            #expect(rows[8].cells[6] == "1999-12-31", "\(file)")
        }
    }

    @Test("numbers: integers as digits, fractions as the shortest decimal")
    func numbers() throws {
        let values = try typeValues()
        #expect(values["integer"] == "42")
        #expect(values["negative"] == "-7")
        #expect(values["fraction"] == "0.5")
        #expect(values["decimal"] == "1234.5678")
        #expect(values["phone_as_number"] == "4155552671")
        let rows = try readAll(XLSRowSource(path: try FixturePaths.generated("xlwt.xls"), limits: .default))
        #expect(rows.dropFirst().map { $0.cells.count > 5 ? $0.cells[5] : nil }
            == ["1234.5", "250", "99.99", "0", nil, "-12.75", nil, "1000000"])
        #expect(rows[6].cells[0] == "4155552674")  // a phone typed as a number
    }

    /// Formerly `freeXLLimits` (booleans as 1/0, errors as 1): SPEC §4's answer instead.
    @Test("BOOLERR booleans are TRUE/FALSE, error cells their text; xlwt's formula has no cached value")
    func booleansAndErrors() throws {
        let values = try typeValues()
        #expect(values["boolean_true"] == "TRUE")
        #expect(values["boolean_false"] == "FALSE")
        #expect(values["error"] == "#N/A")
        #expect(values["formula"] == "")  // xlwt writes no cached result
        let formulas = try readAll(XLSRowSource(path: try FixturePaths.generated("formulas_biff8.xls"), limits: .default))
        let cached = Dictionary(uniqueKeysWithValues: formulas.dropFirst().map { ($0.cells[0], $0.cells.count > 1 ? $0.cells[1] : "") })
        #expect(cached["phone_formula"] == "+14155552671")
        #expect(cached["error_div0"] == "#DIV/0!")
        #expect(cached["date_only_format_with_time"] == "1933-10-18T16:17:37")
    }

    @Test("unicode text survives BIFF8 (UTF-16) and BIFF5 (Windows-1252)")
    func unicode() throws {
        #expect(try typeValues()["unicode"] == "Zoë Müller – 日本語 😀")
        for file in ["xlwt.xls", "ssconvert_biff5.xls"] {
            let rows = try readAll(XLSRowSource(path: try FixturePaths.generated(file), limits: .default))
            #expect(Array(rows[3].cells[1...2]) == ["Zoë", "Müller"], "\(file)")
            #expect(Array(rows[4].cells[1...2]) == ["José", "Núñez"], "\(file)")
            #expect(rows[6].cells[2] == "O'Brien", "\(file)")
        }
    }

    @Test("row shape: empty rows kept between data, cells end at the last value, no trailing rows")
    func rowShape() throws {
        let rows = try readAll(XLSRowSource(path: try FixturePaths.generated("xlwt.xls"), limits: .default))
        #expect(rows.count == 9)  // header + 8 table rows; the sheet ends there
        #expect(rows[5] == SourceRow(number: 6, cells: []))
        #expect(rows[6].cells[4] == "")  // a gap stays as ""
        #expect(rows[7] == SourceRow(number: 8, cells: ["", "No", "Phone", "nophone@example.com"]))
        #expect(rows[8].cells.count == 7)
    }

    @Test("the first sheet is read; a later sheet is not")
    func firstSheetOnly() throws {
        let source = try XLSRowSource(path: try FixturePaths.generated("xlwt.xls"), limits: .default)
        #expect(source.sheetName == "Contacts")
        #expect(try !readAll(source).contains { $0.cells.contains("not part of the import") })
    }

    @Test("RowReader opens .xls files with this reader, whatever the extension's case")
    func dispatch() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("Contacts.XLS")
        try FileManager.default.copyItem(atPath: try FixturePaths.generated("xlwt.xls"), toPath: copy.path)
        let source = try RowReader.open(path: copy.path)
        #expect(source is XLSRowSource)
        #expect(try source.nextRow()?.cells.first == "phone_number")
    }

    private func typeValues() throws -> [String: String] {
        let rows = try readAll(XLSRowSource(path: try FixturePaths.generated("types_xlwt.xls"), limits: .default))
        return Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0.cells[0], $0.cells.count > 1 ? $0.cells[1] : "") })
    }
}

private func readAll(_ source: any RowSource) throws(ReaderError) -> [SourceRow] {
    var rows: [SourceRow] = []
    while let row = try source.nextRow() { rows.append(row) }
    return rows
}
