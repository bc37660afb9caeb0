import DropdialTestKit
import DropdialReaders
import Foundation
import Testing

/// Files that are not readable XLS workbooks: each gives a clean file-level error, never a crash
/// and never an empty import.
@Suite("XLS reader errors")
final class XLSErrorTests {
    private let directory: URL

    init() throws { directory = try FixturePaths.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: directory) }

    @Test("a zero-byte .xls is corrupt")
    func zeroBytes() throws {
        let path = try write(Data(), as: "empty.xls")
        #expect(throws: ReaderError.corrupt("the .xls file is empty (0 bytes)")) {
            try XLSRowSource(path: path, limits: .default)
        }
    }

    @Test("garbage bytes named .xls are corrupt")
    func garbage() throws {
        var state: UInt64 = 0x2545F4914F6CDD1D  // xorshift: fixed pseudo-random bytes
        let bytes = (0..<4096).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        let error = try openError(try write(Data(bytes), as: "garbage.xls"))
        #expect(error.code == "corrupt")
        #expect(error.description.contains("no OLE2 signature"))
    }

    @Test("a CSV renamed to .xls is corrupt, and the message says it is text")
    func csvRenamed() throws {
        let csv = "phone_number,first_name\n(415) 555-2671,Ada\n"
        let error = try openError(try write(Data(csv.utf8), as: "contacts.xls"))
        #expect(error.code == "corrupt")
        #expect(error.description.contains("a text file named .xls?"))
    }

    @Test("an .xlsx renamed to .xls is corrupt, and the message says to rename it")
    func xlsxRenamed() throws {
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: try FixturePaths.generated("xlsxwriter.xlsx")))
        let error = try openError(try write(xlsx, as: "contacts.xls"))
        #expect(error.code == "corrupt")
        #expect(error.description.contains("rename it to .xlsx"))
    }

    @Test("a truncated .xls is corrupt, wherever it was cut")
    func truncated() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: try FixturePaths.generated("xlwt.xls")))
        for length in [8, 512, whole.count / 2, whole.count - 512, whole.count - 1] {
            let error = try openError(try write(whole.prefix(length), as: "cut-\(length).xls"))
            #expect(error.code == "corrupt", "cut at \(length) of \(whole.count) bytes")
            #expect(error.description.contains("OLE2 container"), "cut at \(length)")
        }
    }

    /// BIFF8 marks an encrypted workbook with a FILEPASS record (0x002F) in its globals. xlwt writes
    /// a PASSWORD record (0x0013) there; relabelling it makes the workbook read as protected.
    @Test("a password-protected workbook is .encrypted, not read")
    func encrypted() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try FixturePaths.generated("xlwt.xls"))))
        let bof: [UInt8] = [0x09, 0x08, 0x10, 0x00]  // BIFF8 BOF record, 16 bytes long
        var offset = try #require((0...(bytes.count - 4)).first { Array(bytes[$0..<$0 + 4]) == bof })
        while offset + 4 <= bytes.count, bytes[offset] != 0x13 || bytes[offset + 1] != 0x00 {
            offset += 4 + Int(bytes[offset + 2]) + Int(bytes[offset + 3]) << 8
        }
        try #require(offset + 4 <= bytes.count, "xlwt wrote no PASSWORD record")
        bytes[offset] = 0x2F
        #expect(throws: ReaderError.encrypted) {
            try XLSRowSource(path: try write(Data(bytes), as: "locked.xls"), limits: .default)
        }
    }

    @Test("a file over maxFileBytes is .tooLarge before it is read")
    func tooLarge() throws {
        let path = try FixturePaths.generated("xlwt.xls")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        var limits = ReaderLimits.default
        limits.maxFileBytes = Int64(size - 1)
        #expect(throws: ReaderError.tooLarge(bytes: Int64(size), limit: Int64(size - 1))) {
            try XLSRowSource(path: path, limits: limits)
        }
    }

    @Test("a cell over maxCellBytes is .cellTooLarge with its row")
    func cellTooLarge() throws {
        var limits = ReaderLimits.default
        limits.maxCellBytes = 16  // the header's cells fit; row 2's "America/Los_Angeles" (19 bytes) does not
        let source = try XLSRowSource(path: try FixturePaths.generated("xlwt.xls"), limits: limits)
        #expect(try source.nextRow()?.number == 1)
        #expect(throws: ReaderError.cellTooLarge(row: 2, limit: 16)) { try source.nextRow() }
    }

    @Test("a missing file cannot be opened")
    func missing() throws {
        let error = try openError("/nonexistent/dropdial/contacts.xls")
        #expect(error.code == "unreadable")
    }

    // MARK: hostile containers and records (issue 14): each a clear `corrupt` error, fast

    /// xlwt.xls as bytes, with its OLE2 layout: version 3, 512-byte sectors, the directory's
    /// first sector, the FAT's first sector, and the Workbook stream's directory entry (index 1).
    private struct Layout {
        var bytes: [UInt8]
        var directory: Int { Int(u32(48)) }
        var fat: Int { Int(u32(76)) }
        var workbookEntry: Int { 512 + directory * 512 + 128 }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        mutating func put32(_ at: Int, _ v: UInt32) { for i in 0..<4 { bytes[at + i] = UInt8(v >> (8 * i) & 0xFF) } }
        mutating func put16(_ at: Int, _ v: UInt16) { bytes[at] = UInt8(v & 0xFF); bytes[at + 1] = UInt8(v >> 8) }
        /// Offsets of the BIFF records in the (contiguous, as xlwt writes it) workbook stream.
        func records() -> [(offset: Int, type: UInt16, length: Int)] {
            let bof: [UInt8] = [0x09, 0x08, 0x10, 0x00]
            guard var at = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == bof }) else { return [] }
            var result: [(Int, UInt16, Int)] = []
            while at + 4 <= bytes.count {
                let type = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
                let length = Int(bytes[at + 2]) | Int(bytes[at + 3]) << 8
                if type == 0 && length == 0 { break }
                result.append((at, type, length))
                at += 4 + length
            }
            return result
        }
    }

    private func xlwtLayout(_ file: String = "xlwt.xls") throws -> Layout {
        Layout(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: try FixturePaths.generated(file)))))
    }

    /// Opens and reads the patched file to the end; expects `corrupt` with `detail` in the message,
    /// within 10 seconds.
    private func expectCorrupt(_ layout: Layout, _ name: String, saying detail: String) throws {
        let path = try write(Data(layout.bytes), as: name)
        let start = ContinuousClock.now
        var caught: ReaderError?
        do {
            let source = try XLSRowSource(path: path, limits: .default)
            while try source.nextRow() != nil {}
        } catch {
            caught = error
        }
        let elapsed = ContinuousClock.now - start
        #expect(caught?.code == "corrupt", "\(name): \(String(describing: caught))")
        #expect(caught?.description.contains(detail) == true, "\(name): \(String(describing: caught))")
        #expect(elapsed < .seconds(10), "\(name) took \(elapsed)")
    }

    @Test("a FAT chain that loops back on itself")
    func fatLoop() throws {
        var layout = try xlwtLayout()
        let dir = layout.directory
        layout.put32(512 + layout.fat * 512 + 4 * dir, UInt32(dir))  // the directory sector's next is itself
        try expectCorrupt(layout, "fat-loop.xls", saying: "directory chain loops")
    }

    @Test("a DIFAT chain that loops")
    func difatLoop() throws {
        var layout = try xlwtLayout()
        let fat = layout.fat
        layout.put32(68, UInt32(fat))  // first DIFAT sector: the FAT sector, whose last word…
        layout.put32(72, 1)
        layout.put32(512 + fat * 512 + 508, UInt32(fat))  // …points back to itself
        try expectCorrupt(layout, "difat-loop.xls", saying: "DIFAT chain loops")
    }

    @Test("a sector chain pointing outside the file")
    func chainOutOfRange() throws {
        var layout = try xlwtLayout()
        layout.put32(48, 0x00FF_FFFF)  // the directory starts at sector 16,777,215
        try expectCorrupt(layout, "out-of-range.xls", saying: "points outside the file")
    }

    @Test("a stream claiming 4 GB")
    func hugeStream() throws {
        var layout = try xlwtLayout()
        layout.put32(layout.workbookEntry + 120, 0xFFFF_FFF0)
        try expectCorrupt(layout, "huge-stream.xls", saying: "more than the whole file holds")
    }

    @Test("an SST claiming 2^31 strings")
    func hugeSST() throws {
        var layout = try xlwtLayout()
        let sst = try #require(layout.records().first { $0.type == 0x00FC })
        layout.put32(sst.offset + 4 + 4, 0x8000_0000)
        try expectCorrupt(layout, "huge-sst.xls", saying: "shared-string table declares 2147483648 strings")
    }

    @Test("a CONTINUE chain that runs to the end of the stream")
    func endlessContinue() throws {
        var layout = try xlwtLayout()
        let records = layout.records()
        let sst = try #require(records.firstIndex { $0.type == 0x00FC })
        for record in records[(sst + 1)...] { layout.put16(record.offset, 0x003C) }
        try expectCorrupt(layout, "endless-continue.xls", saying: "the file is corrupt")
    }

    @Test("a record whose length runs past the end of the stream")
    func recordPastEnd() throws {
        var layout = try xlwtLayout()
        let records = layout.records()
        let eofs = records.filter { $0.type == 0x000A }
        try #require(eofs.count >= 2, "xlwt wrote no sheet EOF")
        layout.put16(eofs[1].offset + 2, 0xFFFF)  // the first sheet's EOF (the globals' is eofs[0])
        try expectCorrupt(layout, "record-past-end.xls", saying: "past the end of the workbook stream")
    }

    /// Formulas are never parsed or evaluated, only their cached result read, so neither a token
    /// stream claiming to run past its record nor one nested 1,000 deep can recurse or loop.
    @Test("an endless or deeply nested formula reads as its cached value, quickly")
    func hostileFormula() throws {
        var layout = try xlwtLayout("types_xlwt.xls")
        let formula = try #require(layout.records().first { $0.type == 0x0006 })
        let data = formula.offset + 4
        for (i, byte) in [UInt8](repeating: 0, count: 6).enumerated() { layout.bytes[data + 6 + i] = byte }
        layout.bytes[data + 12] = 0x45; layout.bytes[data + 13] = 0x40  // cached result 42.0
        layout.put16(data + 20, 0xFFFF)  // cce: 65,535 bytes of tokens, far past the record
        for i in (data + 22)..<(data + formula.length) { layout.bytes[i] = 0x15 }  // tParen, nested
        let start = ContinuousClock.now
        let source = try XLSRowSource(path: try write(Data(layout.bytes), as: "formula.xls"), limits: .default)
        var values: [String: String] = [:]
        while let row = try source.nextRow() {
            if row.cells.count > 1 { values[row.cells[0]] = row.cells[1] }
        }
        #expect(values["formula"] == "42")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("a first worksheet that cannot be found is rejected, not replaced by the next sheet")
    func firstSheetUnreadable() throws {
        var layout = try xlwtLayout()
        let sheet = try #require(layout.records().first { $0.type == 0x0085 })
        layout.put32(sheet.offset + 4, 0x00FF_FFFF)  // BOUNDSHEET's stream offset: nowhere
        let error = try openError(try write(Data(layout.bytes), as: "lost-sheet.xls"))
        #expect(error.code == "no_readable_sheet")
        #expect(error.description.contains("\"Contacts\""))
    }

    private func openError(_ path: String) throws -> ReaderError {
        do {
            _ = try XLSRowSource(path: path, limits: .default)
        } catch {
            return error
        }
        Issue.record("\(path) opened, but an error was expected")
        throw ReaderError.corrupt("opened unexpectedly")
    }

    private func write(_ data: Data, as name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}
