import DropdialTestKit
import DropdialReaders
import Testing

/// Package structure (relationships, paths, letter case, namespaces) and row/cell layout.
@Suite struct XLSXStructureTests {
    static let strictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    static let strictRel = "http://purl.oclc.org/ooxml/officeDocument/relationships"

    // MARK: Row and cell layout

    @Test func cellsWithoutReferenceFollowThePreviousCell() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>
            """)
        #expect(try readCells(book) == [["a", "2", "", "", "5", "6"]])
    }

    @Test func rowsWithoutReferenceFollowThePreviousRow() throws {
        let path = XLSXBuilder.workbook(rows: """
            <row><c><v>1</v></c></row><row><c><v>2</v></c></row><row r="5"><c><v>5</v></c></row><row><c><v>6</v></c></row>
            """).write()
        let rows = try readRows(path)
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(rows.map(\.cells) == [["1"], ["2"], [], [], ["5"], ["6"]])
    }

    @Test func missingDimensionDoesNotMatter() throws {
        var book = XLSXBuilder.workbook(rows: "")
        book.add("xl/worksheets/sheet1.xml", """
            <worksheet xmlns="\(XLSXBuilder.main)"><sheetViews/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row></sheetData></worksheet>
            """)
        #expect(try readCells(book.replacingAll()) == [["1", "", "3"]])
    }

    @Test func wrongDimensionDoesNotMatter() throws {
        var book = XLSXBuilder.workbook(rows: "")
        book.add("xl/worksheets/sheet1.xml", """
            <worksheet xmlns="\(XLSXBuilder.main)"><dimension ref="A1:A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="D1"><v>4</v></c></row><row r="3"><c r="B3"><v>8</v></c></row></sheetData></worksheet>
            """)
        #expect(try readCells(book.replacingAll()) == [["1", "", "", "4"], [], ["", "8"]])
    }

    @Test func emptyLeadingColumnsStayAsEmptyCells() throws {
        let book = XLSXBuilder.workbook(rows: #"<row r="1"><c r="C1"><v>3</v></c></row><row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c></row>"#)
        #expect(try readCells(book) == [["", "", "3"], ["", "b"]])
    }

    @Test func gapsBetweenCellsAreFilled() throws {
        let book = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c><c r="D1"><v>4</v></c><c r="AA1"><v>27</v></c></row>"#)
        let cells = try readCells(book)
        #expect(cells.count == 1)
        #expect(cells[0].count == 27)
        #expect(cells[0][0] == "1" && cells[0][3] == "4" && cells[0][26] == "27")
        #expect(cells[0].enumerated().allSatisfy { [0, 3, 26].contains($0.offset) || $0.element.isEmpty })
    }

    @Test func gapRowsAreYieldedEmptyWithTheirNumbers() throws {
        // Rows 1–2 are absent, row 4 holds only styled empty cells, rows 5–6 are absent.
        let path = XLSXBuilder.workbook(rows: """
            <row r="3"><c r="A3"><v>3</v></c></row><row r="4"><c r="A4" s="1"/><c r="B4" s="1"><v></v></c></row><row r="7"><c r="A7"><v>7</v></c></row>
            """).write()
        let rows = try readRows(path)
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5, 6, 7])
        #expect(rows.map(\.cells) == [[], [], ["3"], [], [], [], ["7"]])
    }

    @Test func trailingEmptyCellsAndRowsAreDropped() throws {
        let path = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1"><v>1</v></c><c r="B1" s="2"/><c r="C1" t="inlineStr"><is><t></t></is></c></row><row r="2"><c r="A2" s="1"/></row><row r="3"/><row r="9" spans="1:3"></row>
            """).write()
        let rows = try readRows(path)
        #expect(rows == [SourceRow(number: 1, cells: ["1"])])
    }

    @Test func outOfOrderRowsAreTakenAsGiven() throws {
        let path = XLSXBuilder.workbook(rows: #"<row r="2"><c r="A2"><v>2</v></c></row><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>9</v></c></row><row r="4"><c r="A4"><v>4</v></c></row>"#).write()
        let rows = try readRows(path)
        #expect(rows.map(\.number) == [1, 2, 1, 2, 3, 4])
        #expect(rows.map(\.cells) == [[], ["2"], ["1"], ["", "9"], [], ["4"]])
    }

    @Test func sheetNameComesFromTheWorkbook() throws {
        let path = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#, sheetName: "Leads &amp; more").write()
        #expect(try XLSXRowSource(path: path, limits: .default).sheetName == "Leads & more")
    }

    // MARK: Finding the worksheet

    @Test func strictOOXMLNamespaces() throws {
        var book = XLSXBuilder()
        book.add("_rels/.rels", XLSXBuilder.rootRels(type: "\(Self.strictRel)/officeDocument"))
        book.add("xl/workbook.xml", """
            <workbook xmlns="\(Self.strictMain)" xmlns:r="\(Self.strictRel)" conformance="strict"><workbookPr date1904="false"/><sheets><sheet name="Strict" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        book.add("xl/_rels/workbook.xml.rels", XLSXBuilder.workbookRels(
            [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "sharedStrings", "sharedStrings.xml"), ("rId3", "styles", "styles.xml")],
            typeBase: "\(Self.strictRel)/"))
        book.add("xl/sharedStrings.xml", #"<x:sst xmlns:x="\#(Self.strictMain)"><x:si><x:t>Phone</x:t></x:si></x:sst>"#)
        book.add("xl/styles.xml", #"<styleSheet xmlns="\#(Self.strictMain)"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#)
        book.add("xl/worksheets/sheet1.xml", XLSXBuilder.worksheet(
            #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45366</v></c></row>"#, namespace: Self.strictMain))
        let path = book.write()
        #expect(try XLSXRowSource(path: path, limits: .default).sheetName == "Strict")
        #expect(try readRows(path).map(\.cells) == [["Phone", "2024-03-15"]])
    }

    @Test func partNamesInAnyLetterCase() throws {
        var book = XLSXBuilder()
        book.add("_RELS/.RELS", XLSXBuilder.rootRels(target: "/xl/workbook.xml"))
        book.add("XL/Workbook.XML", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="Odd" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        book.add("XL/_Rels/Workbook.xml.RELS", XLSXBuilder.workbookRels(
            [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "sharedStrings", "sharedstrings.xml")]))
        book.add("XL/SharedStrings.xml", "<sst xmlns=\"\(XLSXBuilder.main)\"><si><t>case</t></si></sst>")
        book.add("XL/Worksheets/Sheet1.XML", XLSXBuilder.worksheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#))
        #expect(try readCells(book) == [["case"]])
    }

    @Test func nonStandardPathsWithAbsoluteTargets() throws {
        var book = XLSXBuilder()
        book.add("_rels/.rels", XLSXBuilder.rootRels(target: "/data/book.xml"))
        book.add("data/book.xml", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="Abs" sheetId="1" r:id="s1"/></sheets></workbook>
            """)
        book.add("data/_rels/book.xml.rels", XLSXBuilder.workbookRels(
            [("s1", "worksheet", "/grids/first%20grid.xml"), ("ss", "sharedStrings", "/text/strings.xml")]))
        book.add("text/strings.xml", "<sst xmlns=\"\(XLSXBuilder.main)\"><si><t>absolute</t></si></sst>")
        book.add("grids/first grid.xml", XLSXBuilder.worksheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#))
        #expect(try readCells(book) == [["absolute"]])
    }

    @Test func nonStandardPathsWithRelativeTargets() throws {
        var book = XLSXBuilder()
        book.add("_rels/.rels", XLSXBuilder.rootRels(target: "./office/wb.xml"))
        book.add("office/wb.xml", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="Rel" sheetId="1" r:id="rId9"/></sheets></workbook>
            """)
        book.add("office/_rels/wb.xml.rels", XLSXBuilder.workbookRels(
            [("rId9", "worksheet", "tabs/../../sheets/./one.xml"), ("rId8", "sharedStrings", "../shared.xml")]))
        book.add("shared.xml", "<sst xmlns=\"\(XLSXBuilder.main)\"><si><t>relative</t></si></sst>")
        book.add("sheets/one.xml", XLSXBuilder.worksheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#))
        #expect(try readCells(book) == [["relative"]])
    }

    @Test func firstSheetInWorkbookOrderNotFileNameOrder() throws {
        var book = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>sheet1.xml</t></is></c></row>"#)
        book.add("xl/workbook.xml", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="Shown first" sheetId="2" r:id="rId2"/><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        book.add("xl/_rels/workbook.xml.rels", XLSXBuilder.workbookRels(
            [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "worksheet", "worksheets/sheet2.xml")]))
        book.add("xl/worksheets/sheet2.xml", XLSXBuilder.worksheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>sheet2.xml</t></is></c></row>"#))
        let path = book.replacingAll().write()
        #expect(try XLSXRowSource(path: path, limits: .default).sheetName == "Shown first")
        #expect(try readRows(path).map(\.cells) == [["sheet2.xml"]])
    }

    @Test func chartsheetsAreSkipped() throws {
        var book = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>data</t></is></c></row>"#)
        book.add("xl/workbook.xml", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="Chart1" sheetId="2" r:id="rId2"/><sheet name="Macro" sheetId="3" r:id="rId3"/><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        book.add("xl/_rels/workbook.xml.rels", XLSXBuilder.workbookRels(
            [("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "chartsheet", "chartsheets/sheet1.xml"), ("rId3", "xlMacrosheet", "macrosheets/sheet1.xml")]))
        book.add("xl/chartsheets/sheet1.xml", "<chartsheet xmlns=\"\(XLSXBuilder.main)\"><drawing/></chartsheet>")
        book.add("xl/macrosheets/sheet1.xml", XLSXBuilder.worksheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>macro</t></is></c></row>"#))
        let path = book.replacingAll().write()
        #expect(try XLSXRowSource(path: path, limits: .default).sheetName == "Data")
        #expect(try readRows(path).map(\.cells) == [["data"]])
    }

    @Test func workbookWithOnlyAChartsheetHasNoReadableSheet() {
        var book = XLSXBuilder()
        book.add("_rels/.rels", XLSXBuilder.rootRels())
        book.add("xl/workbook.xml", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="Chart1" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        book.add("xl/_rels/workbook.xml.rels", XLSXBuilder.workbookRels([("rId1", "chartsheet", "chartsheets/sheet1.xml")]))
        book.add("xl/chartsheets/sheet1.xml", "<chartsheet xmlns=\"\(XLSXBuilder.main)\"/>")
        #expect(readError(book.write()) == .noReadableSheet("none of its 1 sheets is a worksheet"))
    }

    @Test func missingWorksheetPartIsCorrupt() {
        var book = XLSXBuilder()
        book.add("_rels/.rels", XLSXBuilder.rootRels())
        book.add("xl/workbook.xml", """
            <workbook xmlns="\(XLSXBuilder.main)" xmlns:r="\(XLSXBuilder.rel)"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        book.add("xl/_rels/workbook.xml.rels", XLSXBuilder.workbookRels([("rId1", "worksheet", "worksheets/gone.xml")]))
        #expect(readError(book.write()) == .corrupt("worksheet part xl/worksheets/gone.xml is missing"))
    }

    @Test func zipWithoutWorkbookIsCorrupt() {
        var book = XLSXBuilder()
        book.add("word/document.xml", "<document/>")
        #expect(readError(book.write()) == .corrupt("no workbook part: not an XLSX workbook"))
    }

    @Test func emptySheetHasNoRows() throws {
        #expect(try readCells(XLSXBuilder.workbook(rows: "")) == [])
        var book = XLSXBuilder.workbook(rows: "")
        book.add("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(XLSXBuilder.main)\"><sheetData/></worksheet>")
        #expect(try readCells(book.replacingAll()) == [])
    }
}

extension XLSXBuilder {
    /// Keeps only the last part added under each name (later `add`s replace earlier ones).
    func replacingAll() -> XLSXBuilder {
        var seen = Set<String>()
        var result = XLSXBuilder()
        for part in parts.reversed() where seen.insert(part.name).inserted {
            result.add(part.name, bytes: part.bytes)
        }
        return result
    }

}
