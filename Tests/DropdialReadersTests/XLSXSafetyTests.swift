import DropdialTestKit
import DropdialReaders
import Foundation
import Testing

/// Hostile or broken files end in a clean `ReaderError`: no crash, no memory blow-up.
@Suite struct XLSXSafetyTests {
    @Test func doctypeIsRejected() {
        var book = XLSXBuilder.workbook(rows: "")
        book.add("xl/worksheets/sheet1.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE worksheet [<!ENTITY who "world">]>
            <worksheet xmlns="\(XLSXBuilder.main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&who;</t></is></c></row></sheetData></worksheet>
            """)
        #expect(readError(book.write()) == .unsafeXML("DOCTYPE is not allowed"))
    }

    @Test func entityBombInSharedStringsIsRejected() {
        let entities = (1...9).map { "<!ENTITY lol\($0) \"\(String(repeating: "&lol\($0 - 1);", count: 10))\">" }.joined()
        var book = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, sharedStrings: [])
        book.add("xl/sharedStrings.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE sst [<!ENTITY lol0 "lol">\(entities)]>
            <sst xmlns="\(XLSXBuilder.main)"><si><t>&lol9;</t></si></sst>
            """)
        let error = readError(book.write())
        #expect(error?.code == "unsafe_xml", "got \(String(describing: error))")
    }

    @Test func externalDTDIsRejected() {
        var book = XLSXBuilder.workbook(rows: "")
        book.add("xl/workbook.xml", """
            <?xml version="1.0"?><!DOCTYPE workbook SYSTEM "http://127.0.0.1:9/evil.dtd"><workbook xmlns="\(XLSXBuilder.main)"/>
            """)
        #expect(readError(book.write()) == .unsafeXML("DOCTYPE is not allowed"))
    }

    @Test func entryOverTheSizeCapIsABomb() {
        // 4 MiB of whitespace inside sheetData: tiny compressed, over a 1 MiB entry cap.
        let limits = ReaderLimits(maxFileBytes: 1 << 30, maxEntryBytes: 1 << 20, maxInflateRatio: 1_000_000,
                                  ratioFloorBytes: 1 << 30, maxCellBytes: 1 << 20)
        let path = XLSXBuilder.workbook(rows: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + String(repeating: " ", count: 4 << 20)).write()
        // Refused from the size the zip declares, before inflating (a lying size is still caught
        // by counting the inflated bytes).
        #expect(readError(path, limits: limits) == .bomb(entry: "xl/worksheets/sheet1.xml", reason: "declares 4194511 bytes inflated, over 1048576"))
    }

    @Test func entryOverTheRatioCapIsABomb() {
        let limits = ReaderLimits(maxFileBytes: 1 << 30, maxEntryBytes: 1 << 40, maxInflateRatio: 100,
                                  ratioFloorBytes: 1 << 20, maxCellBytes: 1 << 20)
        let strings = ["<si><t>" + String(repeating: "A", count: 1 << 19) + "</t></si>"] + Array(repeating: "<si><t>zzzzzzzz</t></si>", count: 1 << 17)
        let path = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#, sharedStrings: strings).write()
        let error = readError(path, limits: limits)
        guard case .bomb(let entry, let reason)? = error else {
            Issue.record("expected a bomb, got \(String(describing: error))")
            return
        }
        #expect(entry == "xl/sharedStrings.xml")
        #expect(reason.hasPrefix("declares ") && reason.hasSuffix("times its compressed size, over 100"), "\(reason)")
        // The same package under the default limits is fine: the ratio floor is 16 MiB.
        #expect(readError(path) == nil)
    }

    @Test func truncatedZipIsCorrupt() throws {
        let path = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#).write()
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        for keep in [bytes.count / 2, bytes.count - 10, 30] {
            let error = readError(writeTemp(Array(bytes[..<keep]), name: "cut.xlsx"))
            #expect(error?.code == "corrupt", "kept \(keep) of \(bytes.count): \(String(describing: error))")
        }
    }

    @Test func damagedEntryDataIsCorrupt() throws {
        // Flip bytes in the middle of the (deflated) worksheet data: CRC or inflate error.
        let rows = (1...200).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0 * 7919)</v></c></row>" }.joined()
        let path = XLSXBuilder.workbook(rows: rows).write()
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        let at = (0..<(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name }!
        for i in (at + name.count + 40)..<(at + name.count + 60) { bytes[i] ^= 0x5A }
        let error = readError(writeTemp(bytes, name: "damaged.xlsx"))
        #expect(error?.code == "corrupt", "\(String(describing: error))")
    }

    @Test func garbageIsNotAZip() {
        let path = writeTemp(Array("phone,name\n4155552671,Ada\n".utf8), name: "really.csv.xlsx")
        #expect(readError(path) == .corrupt("not a zip archive, or truncated: no end-of-central-directory record"))
        #expect(readError(writeTemp([], name: "empty.xlsx")) == .corrupt("the file is empty"))
    }

    @Test func passwordProtectedWorkbookIsEncrypted() {
        // Excel saves an encrypted .xlsx as an OLE2 compound file.
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)
        #expect(readError(writeTemp(ole, name: "secret.xlsx")) == .encrypted)
    }

    @Test func fileOverTheSizeLimitIsTooLarge() {
        let path = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#).write()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).flatMap { $0 } ?? 0
        var limits = ReaderLimits.default
        limits.maxFileBytes = 100
        #expect(readError(path, limits: limits) == .tooLarge(bytes: Int64(size), limit: 100))
    }

    @Test func missingFileCannotBeOpened() {
        #expect(readError("/nonexistent/dropdial/book.xlsx")?.code == "unreadable")
    }

    @Test func malformedXMLIsCorrupt() {
        let path = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</c></row>"#).write()
        let error = readError(path)
        #expect(error?.code == "corrupt", "\(String(describing: error))")
        #expect(error?.description.contains("xl/worksheets/sheet1.xml") == true)
    }

    @Test func cellsOverTheCellLimit() {
        var limits = ReaderLimits.default
        limits.maxCellBytes = 10
        let inline = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>12345678901</t></is></c></row>"#).write()
        #expect(readError(inline, limits: limits) == .cellTooLarge(row: 2, limit: 10))
        let shared = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="4"><c r="B4" t="s"><v>1</v></c></row>"#,
                                          sharedStrings: ["<si><t>short</t></si>", "<si><r><t>123456</t></r><r><t>78901</t></r></si>"]).write()
        #expect(readError(shared, limits: limits) == .cellTooLarge(row: 4, limit: 10))
        let number = XLSXBuilder.workbook(rows: #"<row r="3"><c r="A3"><v>1.00000000000000000000</v></c></row>"#).write()
        #expect(readError(number, limits: limits) == .cellTooLarge(row: 3, limit: 10))
        // Exactly at the limit is fine.
        let fits = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>1234567890</t></is></c></row>"#).write()
        #expect((try? readRows(fits, limits: limits).map(\.cells)) == [["1234567890"]])
    }

    @Test func hugeSingleCellEndsInACleanError() throws {
        // ~100 MB of text in one cell: libxml2 stops at its 10 MB text-node cap; the reader
        // reports the row instead of crashing or growing without bound.
        let head = Array("<worksheet xmlns=\"\(XLSXBuilder.main)\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>".utf8)
        let tail = Array("</t></is></c></row></sheetData></worksheet>".utf8)
        var book = XLSXBuilder.workbook(rows: "")
        book.add("xl/worksheets/sheet1.xml", bytes: head + [UInt8](repeating: UInt8(ascii: "x"), count: 100_000_000) + tail)
        let path = book.write()
        var limits = ReaderLimits.default
        limits.maxInflateRatio = 1_000_000  // so the cell limit, not the zip ratio, is what stops it
        #expect(readError(path, limits: limits) == .cellTooLarge(row: 2, limit: ReaderLimits.default.maxCellBytes))
        #expect(readError(path)?.code == "zip_bomb", "100 MB of one letter inflates ~1000x")
    }

    @Test func referencesPastTheSheetBoundsAreCorrupt() {
        let column = XLSXBuilder.workbook(rows: #"<row r="1"><c r="XFE1"><v>1</v></c></row>"#).write()
        #expect(readError(column) == .corrupt("xl/worksheets/sheet1.xml: row 1 has a cell past column XFD"))
        let row = XLSXBuilder.workbook(rows: #"<row r="99999999"><c><v>1</v></c></row>"#).write()
        #expect(readError(row) == .corrupt("xl/worksheets/sheet1.xml: row number 99999999 is outside 1…1048576"))
        let last = XLSXBuilder.workbook(rows: #"<row r="1"><c r="XFD1"><v>1</v></c></row>"#).write()
        #expect((try? readRows(last))?.first?.cells.count == 16_384)
    }

    @Test func tooManyZipEntriesIsABomb() {
        var limits = ReaderLimits.default
        limits.maxZipEntries = 6
        var book = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        for i in 0..<3 { book.add("junk/\(i).bin", "x") }
        let error = readError(book.write(), limits: limits)
        #expect(error == .bomb(entry: "(central directory)", reason: "the archive lists 8 entries, over the 6 a workbook may have"))
    }

    @Test func elementsNestedTooDeepAreCorrupt() {
        let deep = String(repeating: "<x>", count: 300) + String(repeating: "</x>", count: 300)
        let path = XLSXBuilder.workbook(rows: #"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t>"# + deep + "</is></c></row>").write()
        #expect(readError(path) == .corrupt("xl/worksheets/sheet1.xml: elements nested more than 256 deep"))
    }

    @Test func sharedStringRepeatedPastTheBudgetIsABomb() throws {
        var limits = ReaderLimits.default
        limits.maxSharedTextBytes = 50_000
        let rows = (1...20).map { #"<row r="\#($0)"><c r="A\#($0)" t="s"><v>0</v></c></row>"# }.joined()
        let path = XLSXBuilder.workbook(rows: rows, sharedStrings: ["<si><t>" + String(repeating: "s", count: 5000) + "</t></si>"]).write()
        let error = readError(path, limits: limits)
        #expect(error?.code == "zip_bomb", "\(String(describing: error))")
        #expect(error?.description.contains("repeat shared strings") == true)
        // Under the budget, every cell shares one string.
        limits.maxSharedTextBytes = 100_000
        #expect(try readRows(path, limits: limits).allSatisfy { $0.cells == [String(repeating: "s", count: 5000)] })
    }
}
