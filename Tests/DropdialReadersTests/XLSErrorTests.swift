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
    /// a PASSWORD record (0x0013) there; relabelling it makes FreeXL report the workbook as protected.
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

    @Test("a file over maxFileBytes is .tooLarge before FreeXL loads it")
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
