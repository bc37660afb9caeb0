import DropdialTestKit
import Foundation
import Testing

/// `NAME.errors.csv` as the daemon writes it beside an archived file (SPEC §10).
@Suite(.serialized) struct ErrorsCSVTests {
    /// Three rows rejected for their time zone, each holding cells a spreadsheet would run as
    /// formulas, and one valid row.
    static let dropped = "phone,name,notes,timezone\r\n"
        + "+14155550132,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-2+3,Mars/Olympus\r\n"
        + "4155550133,=cmd|' /C calc'!A0,@SUM(A1:A2),Mars/Olympus\r\n"
        + "+1 415 555 0134,\"\tTabbed\",+1 more,Mars/Olympus\r\n"
        + "+14155550135,Plain,ok,America/New_York\r\n"

    /// Issue 11 case 13: those cells reached the errors CSV verbatim. Each gets one leading `'`
    /// (the `+1…` phone cells too), and the errors CSV, fixed and dropped again, imports every
    /// row: the importer strips the `'` from phone cells; other cells keep it (README).
    @Test func formulaCellsAreNeutralizedAndTheFixedFileImports() throws {
        let d = try DaemonProcess()
        try d.start()
        try d.dropByRename("hostile.csv", Self.dropped)
        #expect(d.waitFor(seconds: 30) { d.exists("processed/hostile.csv.report.json") }, "\(d.logText())")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: d.path("processed/hostile.csv.errors.csv")))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with BOM")
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.first == "phone,name,notes,timezone,error")
        #expect(lines.count == 5 && lines[4].isEmpty, "\(lines)")
        let rows = lines.dropFirst().prefix(3)
        let expected = [
            "'+14155550132,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'-2+3,Mars/Olympus,",
            "4155550133,\"'=cmd|' /C calc'!A0\",'@SUM(A1:A2),Mars/Olympus,",
            "'+1 415 555 0134,\"'\tTabbed\",'+1 more,Mars/Olympus,",
        ]
        for (row, prefix) in zip(rows, expected) {
            #expect(row.hasPrefix(prefix), "\(row)")
        }

        // The person fixes the zones and drops the file again (under a name of their own: the
        // daemon's `.errors.csv` names are never picked up).
        let fixed = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Mars/Olympus", with: "America/Chicago")
        try d.dropByRename("fixed.csv", fixed)
        #expect(d.waitFor(seconds: 30) { d.exists("processed/fixed.csv.report.json") }, "\(d.logText())")
        let report = try d.report("processed/fixed.csv.report.json")
        #expect(report[string: "status"] == "imported")
        #expect(report.counts["imported"] == 3 && report.counts["invalid"] == 0, "\(report)")
        #expect(!d.exists("processed/fixed.csv.errors.csv"))
        d.stop()

        let batch = try d.bin.run("batch", "2", "--json")
        #expect(batch.status == 0, "\(batch.stderr)")
        let calls = try #require((try batch.json() as? [String: Any])?["calls"] as? [[String: Any]])
        #expect(calls.map { $0[string: "phoneNumber"] } == ["+14155550132", "+14155550133", "+14155550134"])
        let variables = calls.map { $0["variables"] as? [String: String] ?? [:] }
        #expect(variables.map { $0["name"] } == ["'=HYPERLINK(\"http://x\",\"y\")", "'=cmd|' /C calc'!A0", "'\tTabbed"])
        #expect(variables.map { $0["notes"] } == ["'-2+3", "'@SUM(A1:A2)", "'+1 more"])
        #expect(calls.map { $0[string: "timezone"] } == ["America/Chicago", "America/Chicago", "America/Chicago"])
    }
}
