import DropdialTestKit
import Foundation
import Testing

/// The real binary on the committed `samples/` files.
@Suite struct SamplesTests {
    @Test func importCSVWithManifestThenDuplicate() throws {
        let bin = try Binary(samples: ["contacts.csv", "contacts.batch.json"])
        let first = try bin.run("import", "contacts.csv", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let report = try bin.report("contacts.csv")
        #expect(report[string: "status"] == "imported")
        let batchId = try #require(report[int: "batchId"])
        #expect(report.counts["imported"] == 25)
        #expect(report.counts["invalid"] == 0)
        #expect((report["sha256"] as? String)?.count == 64)
        #expect(FileManager.default.fileExists(atPath: bin.file("contacts.csv")), "import leaves the input in place")

        let batches = try #require(try bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == 1)
        #expect(batches.first?[string: "name"] == "Q2 account renewal reminders", "batchName comes from the manifest")
        #expect(batches.first?[string: "status"] == "scheduled")
        #expect(batches.first?.counts["imported"] == 25)

        let again = try bin.run("import", "contacts.csv", "--json")
        #expect(again.status == 0)
        let dup = try #require(try again.json() as? [String: Any])
        #expect(dup[string: "status"] == "duplicate")
        #expect(dup[int: "duplicateOf"] == batchId)
        #expect(try (bin.run("batches", "--json").json() as? [Any])?.count == 1)
    }

    @Test(arguments: ["contacts.xlsx", "contacts.xls"])
    func workbooksImportLikeTheCSV(name: String) throws {
        let bin = try Binary(samples: ["contacts.csv", name])
        try bin.run("import", "contacts.csv", "--inbox", "inbox")
        let result = try bin.run("import", name, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try result.json() as? [String: Any])
        #expect(report[string: "status"] == "imported")
        #expect(report.counts["imported"] == 25)
        #expect(report[string: "format"] == String(name.split(separator: ".").last!))
    }

    @Test func checkReportsEveryInvalidRowAndCommitsNothing() throws {
        let bin = try Binary(samples: ["contacts_with_errors.csv"])
        let result = try bin.run("check", "contacts_with_errors.csv", "--json")
        #expect(result.status == 0, "skip policy: valid rows would import")
        let report = try #require(try result.json() as? [String: Any])
        let errors = try #require(report["errors"] as? [[String: Any]])
        let seen = errors.map { "\($0[int: "row"] ?? -1) \($0[string: "column"] ?? "") \($0[string: "code"] ?? "")" }
        #expect(seen == [
            "3 phone_number phone_missing", "4 phone_number phone_invalid",
            "5 phone_number phone_lost_digits", "6 timezone timezone_invalid",
        ])
        #expect(report.counts["duplicates"] == 1)
        #expect(report.counts["invalid"] == 4)
        #expect(report[int: "batchId"] == nil)
        #expect(!FileManager.default.fileExists(atPath: bin.file("dropdial.sqlite")), "check never opens the database")
        #expect(!FileManager.default.fileExists(atPath: bin.file("contacts_with_errors.csv.report.json")))
    }

    @Test func rejectPolicyRejectsTheErrorsFile() throws {
        let bin = try Binary(samples: ["contacts_with_errors.csv"])
        try bin.write("dropdial.toml", "[[inbox]]\nname = \"strict\"\npath = \"inbox\"\ninvalid_rows = \"reject\"\n")
        let result = try bin.run("import", "contacts_with_errors.csv")
        #expect(result.status == 1)
        let report = try bin.report("contacts_with_errors.csv")
        #expect(report[string: "status"] == "rejected")
        #expect(report[string: "errorCode"] == "invalid_rows")
        #expect(report["batchId"] is NSNull)
        #expect(try (bin.run("batches", "--json").json() as? [Any])?.isEmpty == true, "nothing committed")
    }

    @Test func inspectPrintsOneJSONArrayPerRow() throws {
        let bin = try Binary(samples: ["contacts.csv"])
        let result = try bin.run("inspect", "contacts.csv", "--json")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        let expected = try String(contentsOf: bin.dir.appendingPathComponent("contacts.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map { String($0) }
        #expect(lines.count == expected.count)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String])
        #expect(header == expected[0].split(separator: ",").map(String.init))
    }
}

/// Bad input and bad configuration: a clear message and the documented exit status.
@Suite struct FailureTests {
    @Test func badConfigExitsTwoNamingTheKey() throws {
        let bin = try Binary(samples: ["contacts.csv"])
        try bin.write("dropdial.toml", "[[inbox]]\ncalling_window = { start = \"9am\", end = \"17:00\" }\n")
        let result = try bin.run("import", "contacts.csv")
        #expect(result.status == 2)
        #expect(result.stderr.contains("inbox[0].calling_window.start"))
    }

    @Test func usageErrorExitsTwo() throws {
        #expect(try Binary().run("import").status == 2)
    }

    @Test func unsupportedTypeIsRejected() throws {
        let bin = try Binary()
        try bin.write("contacts.pdf", "%PDF-1.4")
        let result = try bin.run("import", "contacts.pdf")
        #expect(result.status == 1)
        #expect(try bin.report("contacts.pdf")[string: "errorCode"] == "unsupported_type")
    }

    @Test(arguments: ["garbage.xlsx", "garbage.xls", "garbage.csv"])
    func binaryGarbageIsAClearFileLevelError(name: String) throws {
        let bin = try Binary()
        var rng = SystemRandomNumberGenerator()
        try bin.write(name, bytes: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let result = try bin.run("import", name)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        let report = try bin.report(name)
        #expect(report[string: "status"] == "rejected")
        #expect((report[string: "error"] ?? "").isEmpty == false)
    }

    @Test func manifestErrorRejectsTheFile() throws {
        let bin = try Binary(samples: ["contacts.csv"])
        try bin.write("contacts.batch.json", #"{"allowedDays":[1,9]}"#)
        let result = try bin.run("import", "contacts.csv")
        #expect(result.status == 1)
        let report = try bin.report("contacts.csv")
        #expect(report[string: "errorCode"] == "manifest_invalid")
        #expect(report[string: "error"]?.contains("allowedDays") == true)
    }
}

/// SPEC §3: `.xlsm` (a macro-enabled workbook) is read as XLSX, macros never run; the pickup and
/// the import take it from the readers' one list of extensions.
@Suite struct MacroWorkbookTests {
    @Test func anXLSMImportsLikeTheSameXLSX() throws {
        let bin = try Binary(samples: ["contacts.xlsx"])
        try FileManager.default.copyItem(atPath: bin.file("contacts.xlsx"), toPath: bin.file("contacts.xlsm"))
        let xlsx = try bin.run("check", "contacts.xlsx")
        let xlsm = try bin.run("import", "contacts.xlsm", "--json")
        #expect(xlsm.status == 0, "\(xlsm.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(xlsm.stdout.utf8)) as? [String: Any])
        #expect(report[string: "status"] == "imported")
        #expect(report[string: "format"] == "xlsx")
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(xlsx.stdout.utf8)) as? [String: Any])
        #expect(report.counts["imported"] == checked.counts["imported"])
    }
}
