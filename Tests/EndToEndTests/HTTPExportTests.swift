import DropdialReaders
import DropdialTestKit
import Foundation
import Testing

/// The results export (SPEC §10) through `GET /api/call/export/{batchId}` and `dropdial export`:
/// one row per call, its variables as written, its zone, status, attempts and next attempt in
/// local time and UTC; CSV cells guarded against formulas, XLSX cells all text.
extension HTTPUploadTests {
    @Test(arguments: EngineKind.allCases) func theResultsExportAsCSVAndXLSX(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let csv = "phone_number,first_name,zip\n+14155550132,Zoë,02134\n2125550133,=cmd,00007\n"
        let answer = try form("export.csv", csv, [("scheduledAt", "2099-01-01T00:00:00Z")]).post(w.upload, key: w.admin)
        #expect(answer.status == 201, "\(answer.text)")
        let batch = try #require((answer.json["data"] as? [String: Any])?["batchId"] as? Int)
        let header = ["phone_number", "first_name", "zip", "timezone", "status", "attempts", "last_outcome",
                      "last_attempt_local", "last_attempt_utc", "next_attempt_local", "next_attempt_utc"]
        // Scheduled for 2099-01-01T00:00Z: that instant on the wall clocks of San Francisco and New York.
        let rows = [
            ["+14155550132", "Zoë", "02134", "America/Los_Angeles", "pending", "0", "", "", "",
             "2098-12-31T16:00:00-08:00", "2099-01-01T00:00:00Z"],
            ["+12125550133", "=cmd", "00007", "America/New_York", "pending", "0", "", "", "",
             "2098-12-31T19:00:00-05:00", "2099-01-01T00:00:00Z"],
        ]

        let got = try HTTPCall.send("GET", w.base + "/api/call/export/\(batch)", key: w.admin)
        #expect(got.status == 200 && got.headers["content-type"]?.hasPrefix("text/csv") == true, "\(got.text)")
        #expect(got.headers["content-disposition"]?.hasPrefix("attachment; filename=\"batch-\(batch)-results.csv\"") == true)
        #expect(got.body.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM, so Excel reads Zoë right")
        // A cell a spreadsheet would run as a formula (+…, =…) gets one leading quote.
        let guarded = rows.map { $0.map { $0.first == "+" || $0.first == "=" ? "'" + $0 : $0 } }
        let lines = String(decoding: got.body.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines == [header.joined(separator: ",")] + guarded.map { $0.joined(separator: ",") } + [""])

        let book = try HTTPCall.send("GET", w.base + "/api/call/export/\(batch)?format=xlsx", key: w.admin)
        #expect(book.status == 200 && book.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let path = w.d.path("results.xlsx")
        try book.body.write(to: URL(fileURLWithPath: path))
        #expect(try Self.sheetRows(path) == [header] + rows, "every cell as text: + and leading zeros kept")

        // The command line writes the same files.
        let out = w.d.path("cli.xlsx")
        let made = try w.d.bin.run(["export", String(batch), "--format", "xlsx", "--out", out])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Self.sheetRows(out) == [header] + rows)
        let printed = try w.d.bin.run(["export", String(batch)])
        #expect(printed.status == 0 && printed.stdout == got.text, "\(printed.stderr)")
        #expect(try w.d.bin.run(["export", "999"]).status == 2)

        let scoped = try w.key("export-scoped", ["--role", "viewer", "--inbox", "other"])
        #expect(try HTTPCall.send("GET", w.base + "/api/call/export/\(batch)", key: scoped).status == 404)
        let bad = try HTTPCall.send("GET", w.base + "/api/call/export/\(batch)?format=pdf", key: w.admin)
        #expect(bad.status == 400 && bad.json["code"] as? String == "invalid_format")
        #expect(try HTTPCall.send("GET", w.base + "/api/call/export/999", key: w.admin).status == 404)
        #expect(try HTTPCall.send("GET", w.base + "/api/call/export/\(batch)", key: nil).status == 401)
    }

    static func sheetRows(_ path: String) throws -> [[String]] {
        let source = try RowReader.open(path: path)
        var rows: [[String]] = []
        while let row = try source.nextRow() { rows.append(row.cells) }
        return rows
    }
}
