import DropdialTestKit
import Testing
@testable import DropdialReaders

/// Encoding detection: UTF-8 with/without BOM, UTF-16 LE/BE with BOM, Windows-1252 fallback.
@Suite struct CSVEncodingTests {
    @Test(arguments: CSVFixture.chunkSizes)
    func utf8WithoutBOM(chunkSize: Int) throws {
        // "Zoë" (ë = C3 AB), "東京" (3-byte), "😀" (4-byte): every multi-byte form, split at chunk size 1–5.
        let text = "name,city\nZoë,東京\n😀,x\n"
        #expect(try CSVFixture.cells(text, chunkSize: chunkSize) == [["name", "city"], ["Zoë", "東京"], ["😀", "x"]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func utf8BOMIsSkipped(chunkSize: Int) throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + .ascii("phone,name\n4155552671,Zoë\n")
        let rows = try CSVFixture.rows(bytes, chunkSize: chunkSize)
        // The BOM must not leak into the first header cell.
        #expect(rows.map(\.cells) == [["phone", "name"], ["4155552671", "Zoë"]])
        #expect(rows.first?.cells.first?.unicodeScalars.first == "p")
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func utf16LittleEndianTabSeparated(chunkSize: Int) throws {
        let bytes = CSVFixture.utf16("Name\tPhone\r\nMüller\t+49 30 1234\r\n😀 Ann\t555\r\n", bigEndian: false)
        #expect(bytes.prefix(4) == [0xFF, 0xFE, 0x4E, 0x00])  // BOM then "N" little-endian
        let cells = try CSVFixture.cells(bytes, chunkSize: chunkSize)
        #expect(cells == [["Name", "Phone"], ["Müller", "+49 30 1234"], ["😀 Ann", "555"]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func utf16BigEndianTabSeparated(chunkSize: Int) throws {
        let bytes = CSVFixture.utf16("Name\tPhone\r\nÅsa\t€5\r\n", bigEndian: true)
        #expect(bytes.prefix(4) == [0xFE, 0xFF, 0x00, 0x4E])
        let cells = try CSVFixture.cells(bytes, chunkSize: chunkSize)
        #expect(cells == [["Name", "Phone"], ["Åsa", "€5"]])
    }

    @Test func utf16DefaultsToTabEvenWithCommasInText() throws {
        // One column of names with commas, no tabs at all: UTF-16 "Unicode text" means tab, not comma.
        let bytes = CSVFixture.utf16("Name\nDoe, John\n", bigEndian: false)
        #expect(try CSVFixture.cells(bytes) == [["Name"], ["Doe, John"]])
    }

    @Test func utf16UnpairedSurrogateBecomesReplacement() throws {
        // D800 with no low surrogate after it, then "a".
        let bytes: [UInt8] = [0xFF, 0xFE, 0x00, 0xD8, 0x61, 0x00]
        #expect(try CSVFixture.cells(bytes) == [["\u{FFFD}a"]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func windows1252Fallback(chunkSize: Int) throws {
        // "Müller" with ü = 0xFC; "€" = 0x80; "…" = 0x85; "é" = 0xE9 as the very last byte.
        let bytes: [UInt8] = .ascii("name;price\nM") + [0xFC] + .ascii("ller;") + [0x80] + .ascii("10")
            + [0x85] + .ascii("\nJos") + [0xE9]
        let reader = try CSVFixture.open(bytes, chunkSize: chunkSize)
        #expect(reader.encoding == .windows1252)
        var cells: [[String]] = []
        while let row = try reader.nextRow() { cells.append(row.cells) }
        #expect(cells == [["name", "price"], ["Müller", "€10…"], ["José"]])
    }

    @Test func windows1252UndefinedBytesMapToC1Controls() throws {
        let bytes: [UInt8] = .ascii("a") + [0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xA0, 0xFF] + .ascii("\n")
        #expect(try CSVFixture.cells(bytes) == [["a\u{81}\u{8D}\u{8F}\u{90}\u{9D}\u{A0}ÿ"]])
    }

    @Test(arguments: [4096, CSVRowSource.defaultChunkSize])
    func windows1252ByteFarIntoFileDecidesWholeFile(chunkSize: Int) throws {
        // Row 2 holds C3 BC (valid UTF-8 for "ü"); 120 KB later a lone 0xFC ("ü" in Windows-1252)
        // makes the whole file Windows-1252, so row 2 must read "Ã¼", not "ü".
        var bytes: [UInt8] = .ascii("name,phone\n") + [0xC3, 0xBC] + .ascii(",1\n")
        while bytes.count < 120_000 { bytes += .ascii("Smith,4155552671\n") }
        bytes += .ascii("M") + [0xFC] + .ascii("ller,4155550000\n")
        let rows = try CSVFixture.rows(bytes, chunkSize: chunkSize)
        #expect(rows[1].cells == ["Ã¼", "1"])
        #expect(rows.last?.cells == ["Müller", "4155550000"])
        #expect(rows.last?.number == rows.count)
    }

    @Test func invalidUTF8SequencesMakeWindows1252() throws {
        // E2 82 is a truncated "€" (E2 82 AC) in UTF-8; as Windows-1252 it is "â‚".
        let bytes: [UInt8] = .ascii("x") + [0xE2, 0x82] + .ascii(",y\n")
        #expect(try CSVFixture.cells(bytes) == [["xâ‚", "y"]])
    }

    @Test func overlongAndSurrogateUTF8AreNotUTF8() throws {
        // C0 AF is an overlong "/", ED A0 80 an encoded surrogate: both are invalid UTF-8.
        #expect(try CSVFixture.cells([0xC0, 0xAF, 0x0A]) == [["À¯"]])
        #expect(try CSVFixture.cells([0xED, 0xA0, 0x80, 0x0A]) == [["í\u{A0}€"]])
    }

    @Test func validatorAcceptsSplitSequencesAndRejectsTruncatedOnes() {
        var validator = UTF8Validator()
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        for byte in euro { [byte].withUnsafeBufferPointer { validator.consume($0.baseAddress!, count: 1) } }
        #expect(validator.isCompleteAndValid)
        [UInt8(0xF0), 0x9F].withUnsafeBufferPointer { validator.consume($0.baseAddress!, count: 2) }
        #expect(!validator.isCompleteAndValid)  // an emoji cut off at the end is not valid
    }
}
