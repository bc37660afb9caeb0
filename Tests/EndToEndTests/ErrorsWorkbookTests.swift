import DropdialTestKit
import Foundation
import Testing

/// `NAME.errors.xlsx` (SPEC §10), read back with openpyxl (Tests/Fixtures/workbooks/errors_workbook.py).
@Suite(.serialized) struct ErrorsWorkbookTests {
    /// Two rejected rows (a zone, a phone) and one valid row; cells Excel would turn into numbers
    /// or formulas, and one holding HTML.
    static let dropped = "phone,name,account,notes,timezone\r\n"
        + "+14155550132,Ann,00441234,<script>alert(1)</script>,Mars/Olympus\r\n"
        + "12,Bob,007,=1+2,America/Chicago\r\n"
        + "+14155550135,Cy,0042,ok,America/New_York\r\n"

    static let script = Binary.repo.appendingPathComponent("Tests/Fixtures/workbooks/errors_workbook.py").path

    static func python(_ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    struct Cell: Decodable {
        var value: String?
        var type: String
        var fill: String?
        var comment: String?
    }

    struct Book: Decodable {
        var sheets: [String]
        var frozen: String?
        var rows: [[Cell]]
    }

    @Test func textCellsRedFailingCellsCommentsAndTheFixedWorkbookImports() throws {
        let d = try DaemonProcess()
        try d.start()
        defer { d.stop() }
        try d.dropByRename("people.csv", Self.dropped)
        #expect(d.waitFor(seconds: 30) { d.exists("processed/people.csv.report.json") }, "\(d.logText())")
        #expect(d.exists("processed/people.csv.errors.csv"))
        let path = d.path("processed/people.csv.errors.xlsx")
        let read = try Self.python(["read", path])
        #expect(read.status == 0)
        let book = try JSONDecoder().decode(Book.self, from: Data(read.out.utf8))
        #expect(book.sheets == ["errors"] && book.frozen == "A2")
        #expect(book.rows.count == 3, "the header and the two rejected rows")
        #expect(book.rows[0].map(\.value) == ["phone", "name", "account", "notes", "timezone", "error"])
        // Every cell is text, as written: no number, no formula, the leading zeros and `+` kept.
        #expect(book.rows.joined().allSatisfy { $0.type == "s" }, "\(book.rows)")
        #expect(book.rows[1].map(\.value) == ["+14155550132", "Ann", "00441234", "<script>alert(1)</script>", "Mars/Olympus",
                                              "timezone: \"Mars/Olympus\" is not an IANA time zone; use a name like America/New_York"])
        #expect(book.rows[2].prefix(5).map(\.value) == ["12", "Bob", "007", "=1+2", "America/Chicago"])
        // Only the failing cells are red, each with its message as the comment.
        let red = "FFFFC7CE"
        #expect(book.rows[1].map(\.fill) == [nil, nil, nil, nil, red, nil])
        #expect(book.rows[1][4].comment?.contains("is not an IANA time zone") == true)
        #expect(book.rows[2].map(\.fill) == [red, nil, nil, nil, nil, nil])
        #expect(book.rows[2][0].comment?.contains("not a valid phone number for region US") == true)
        #expect(book.rows[1].enumerated().allSatisfy { $0.offset == 4 || $0.element.comment == nil })

        // The API serves the same bytes.
        let base = try #require(d.httpBase())
        let key = try #require(d.adminKey())
        let served = try HTTPCall.send("GET", base + "/api/files/1/errors.xlsx", key: key)
        #expect(served.status == 200)
        #expect(served.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(served.body == (try Data(contentsOf: URL(fileURLWithPath: path))))

        // A person fixes the two cells in a spreadsheet and drops the workbook again.
        let fixedOnce = Scratch.path("fixed", suffix: ".xlsx")
        #expect(try Self.python(["fix", path, fixedOnce, "Mars/Olympus", "America/Chicago"]).status == 0)
        let fixed = d.path("fixed.xlsx.filepart")
        #expect(try Self.python(["fix", fixedOnce, fixed, "12", "+14155550136"]).status == 0)
        try FileManager.default.moveItem(atPath: fixed, toPath: d.path("fixed.xlsx"))
        #expect(d.waitFor(seconds: 30) { d.exists("processed/fixed.xlsx.report.json") }, "\(d.logText())")
        let report = try d.report("processed/fixed.xlsx.report.json")
        #expect(report[string: "status"] == "imported")
        #expect(report.counts["imported"] == 2 && report.counts["invalid"] == 0, "\(report)")
        #expect(!d.exists("processed/fixed.xlsx.errors.xlsx"))
        #expect(!d.exists("processed/people.csv.errors.xlsx.report.json"), "the daemon's own workbook is never picked up")
        d.stop()
        let batch = try d.bin.run("batch", "2", "--json")
        let calls = try #require((try batch.json() as? [String: Any])?["calls"] as? [[String: Any]])
        #expect(Set(calls.map { $0[string: "phoneNumber"] }) == ["+14155550132", "+14155550136"])
        let accounts = calls.map { ($0["variables"] as? [String: String])?["account"] }
        #expect(Set(accounts) == ["00441234", "007"], "leading zeros survive the round trip")
    }
}
