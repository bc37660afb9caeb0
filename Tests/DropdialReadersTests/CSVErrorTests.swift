import DropdialTestKit
import Foundation
import Testing
@testable import DropdialReaders

/// File-level errors: unterminated quote, oversize cell, oversize file, unopenable, binary input.
@Suite struct CSVErrorTests {
    @Test(arguments: CSVFixture.chunkSizes)
    func unterminatedQuoteNamesTheRecordWhereItOpened(chunkSize: Int) {
        // Record 3 opens a quote that runs to the end of the file, over two more lines.
        let text = "name,note\nAnn,ok\nBob,\"never closed\nCid,x\nDan,y\n"
        #expect(CSVFixture.error(.ascii(text), chunkSize: chunkSize)
            == .malformed(row: 3, reason: "a quoted field opened here never closes"))
    }

    @Test func unterminatedQuoteAfterMultiLineRecord() {
        // Record 2 spans three lines; the bad quote is in record 3, on the fifth line.
        let text = "h\n\"a\nb\nc\"\n\"oops\n"
        #expect(CSVFixture.error(.ascii(text)) == .malformed(row: 3, reason: "a quoted field opened here never closes"))
    }

    @Test func rowsBeforeAnUnterminatedQuoteAreStillYielded() throws {
        let reader = try CSVFixture.open(.ascii("a\nb\n\"c\n"))
        #expect(try reader.nextRow()?.cells == ["a"])
        #expect(try reader.nextRow()?.cells == ["b"])
        #expect(throws: ReaderError.malformed(row: 3, reason: "a quoted field opened here never closes")) {
            try reader.nextRow()
        }
        // The error sticks: reading on does not resume in the middle of the broken record.
        #expect(throws: ReaderError.malformed(row: 3, reason: "a quoted field opened here never closes")) {
            try reader.nextRow()
        }
    }

    @Test func oversizeCellErrorSticks() throws {
        let reader = try CSVFixture.open(
            .ascii("ok\n0123456789AB,x\nnext\n"), limits: CSVFixture.limits(maxCellBytes: 10), chunkSize: 4)
        #expect(try reader.nextRow()?.cells == ["ok"])
        #expect(throws: ReaderError.cellTooLarge(row: 2, limit: 10)) { try reader.nextRow() }
        #expect(throws: ReaderError.cellTooLarge(row: 2, limit: 10)) { try reader.nextRow() }
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func oversizeCellIsRefused(chunkSize: Int) {
        let limits = CSVFixture.limits(maxCellBytes: 10)
        // Exactly 10 bytes passes, in every field form.
        #expect(CSVFixture.error(.ascii("0123456789,\"01234567\"\"\"\n"), limits: limits, chunkSize: chunkSize) == nil)
        // 11 bytes unquoted, in record 2.
        #expect(CSVFixture.error(.ascii("a\n01234567890,b\n"), limits: limits, chunkSize: chunkSize)
            == .cellTooLarge(row: 2, limit: 10))
        // 11 bytes quoted with a line break, in record 3.
        #expect(CSVFixture.error(.ascii("a\nb\n\"01234\n56789\"\n"), limits: limits, chunkSize: chunkSize)
            == .cellTooLarge(row: 3, limit: 10))
    }

    @Test func hugeCellStopsEarly() {
        // 8 MB in one quoted cell with a 1 KB limit: refused, without reading it all into a String.
        let bytes: [UInt8] = .ascii("h\n\"") + [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20) + .ascii("\"\n")
        #expect(CSVFixture.error(bytes, limits: CSVFixture.limits(maxCellBytes: 1024)) == .cellTooLarge(row: 2, limit: 1024))
    }

    @Test func fileOverTheLimitIsTooLarge() {
        let bytes: [UInt8] = .ascii("phone\n4155552671\n")
        #expect(CSVFixture.error(bytes, limits: CSVFixture.limits(maxFileBytes: 10))
            == .tooLarge(bytes: Int64(bytes.count), limit: 10))
        #expect(CSVFixture.error(bytes, limits: CSVFixture.limits(maxFileBytes: Int64(bytes.count))) == nil)
    }

    @Test func missingFileCannotBeOpened() {
        let folder = CSVFixture.makeDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("absent.csv").path
        #expect(throws: ReaderError.cannotOpen(path: path, reason: "No such file or directory")) {
            try CSVRowSource(path: path, limits: .default)
        }
    }

    @Test func directoryCannotBeOpened() {
        let folder = CSVFixture.makeDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.path
        #expect(throws: ReaderError.cannotOpen(path: path, reason: "not a regular file")) {
            try CSVRowSource(path: path, limits: .default)
        }
    }

    @Test func nulBytesMeanBinary() {
        // A PNG signature and header: NUL bytes in a file without a UTF-16 BOM.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        #expect(CSVFixture.error(png) == .corrupt("the file looks binary, not delimited text"))
        // Also with a UTF-8 BOM, and when the NUL comes late.
        var late: [UInt8] = [0xEF, 0xBB, 0xBF]
        while late.count < 300_000 { late += .ascii("a,b\n") }
        late.append(0)
        #expect(CSVFixture.error(late) == .corrupt("the file looks binary, not delimited text"))
    }

    @Test(arguments: [1, 7, 4096, CSVRowSource.defaultChunkSize])
    func binaryGarbageNeverCrashes(chunkSize: Int) {
        // Pseudo-random bytes with no NUL (a fixed LCG, so the input is the same every run): they are
        // not UTF-8, so they read as Windows-1252 rows — or a clean error, e.g. an unterminated quote.
        var state: UInt32 = 12345
        var bytes: [UInt8] = []
        for _ in 0..<200_000 {
            state = state &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: state >> 16) | 1)
        }
        do {
            let rows = try CSVFixture.rows(bytes, chunkSize: chunkSize)
            #expect(rows.allSatisfy { $0.number >= 1 })
        } catch {
            switch error {
            case .malformed, .cellTooLarge, .corrupt: break
            default: Issue.record("unexpected error \(error)")
            }
        }
        // Random bytes that contain NUL are called binary.
        #expect(CSVFixture.error([0x12, 0x00, 0xFF, 0x9C], chunkSize: chunkSize) == .corrupt("the file looks binary, not delimited text"))
    }

    @Test func tooManyCellsInOneRowIsMalformed() throws {
        let bytes = [UInt8](repeating: UInt8(ascii: ","), count: CSVTokenizer.maxCellsPerRow) + .ascii("\n")
        #expect(CSVFixture.error(bytes) == .malformed(row: 1, reason: "the row has more than 65536 cells"))
        let fits = [UInt8](repeating: UInt8(ascii: ","), count: CSVTokenizer.maxCellsPerRow - 1)
        #expect(try CSVFixture.rows(fits).first?.cells.count == CSVTokenizer.maxCellsPerRow)
    }
}
