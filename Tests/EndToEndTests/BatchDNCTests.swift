import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `batch`, `add-calls` and `dnc` through the real binary, with the daemon dialing through an
/// exec script that logs every number it is asked to dial.
@Suite(.serialized) struct BatchDNCTests {
    /// The exec script logs the number of every call it is asked to dial.
    func daemon(log: String) throws -> DaemonProcess {
        try DaemonProcess.dialing(log: log, script: """
            grep -o '"phoneNumber":"[^"]*"' >> "$1"
            echo '{"outcome":"completed","durationSec":1}'
            """)
    }

    func dialed(_ log: String) -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map {
            String($0.dropFirst(#""phoneNumber":""#.count).dropLast())
        }
    }

    func details(_ d: DaemonProcess, _ args: String...) throws -> [String: Any] {
        let r = try d.bin.run(["batch", "1", "--json"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try r.json() as? [String: Any])
    }

    /// Imported, then listed with `dnc add` before the daemon ever ran: the daemon dials the
    /// others and never that number. Then `add-calls` on the completed batch is dialed by the
    /// running daemon without a restart.
    @Test func aListedNumberIsNeverDialedAndAddedCallsAreDialedLive() throws {
        let log = Scratch.path("dials", suffix: ".log")
        let d = try daemon(log: log)
        try d.bin.write("c.csv", contactsCSV(rows: 3))
        #expect(try d.bin.run("import", "c.csv").status == 0)
        let add = try d.bin.run("dnc", "add", "(415) 555-0001", "--json")
        #expect(add.status == 0, "\(add.stderr)")
        #expect((try add.json() as? [String: Any])?["listed"] as? [String] == ["+14155550001"])

        try d.start()
        #expect(d.waitFor(seconds: 30) { (try? details(d)[string: "status"]) == "completed" }, "\(d.logText())")
        #expect(dialed(log).sorted() == ["+14155550000", "+14155550002"])
        let calls = try #require(try details(d, "--filter", #"{"outcome":"suppressed"}"#)["calls"] as? [[String: Any]])
        #expect(calls.map { $0[string: "phoneNumber"] } == ["+14155550001"])
        #expect((calls.first?["phoneLogs"] as? [Any])?.isEmpty == true)

        try d.bin.write("more.json", #"[{"phoneNumber":"+14155550009","name":"Late"},{"phoneNumber":"4155550000","name":"Again"}]"#)
        let added = try d.bin.run("add-calls", "1", "more.json", "--json")
        #expect(added.status == 0, "\(added.stdout)\(added.stderr)")
        let response = try #require(try added.json() as? [String: Any])
        #expect(response[int: "code"] == 200 && response["status"] as? Bool == true)
        #expect(((response["data"] as? [String: Any])?[int: "totalAdded"]) == 2)
        #expect(d.waitFor(seconds: 30) { dialed(log).count == 4 }, "\(d.logText())")
        #expect(d.waitFor(seconds: 10) { (try? details(d)[string: "status"]) == "completed" })
        d.stop()
        #expect(dialed(log).sorted() == ["+14155550000", "+14155550000", "+14155550002", "+14155550009"])
        let again = try #require(try details(d, "--search", "again")["calls"] as? [[String: Any]])
        #expect((again.first?["phoneLogs"] as? [Any])?.count == 2, "the first cycle's attempt stays in the log")
    }

    @Test func usageErrorsExitTwo() throws {
        let bin = try Binary()
        try bin.write("c.csv", contactsCSV(rows: 3))
        #expect(try bin.run("import", "c.csv").status == 0)
        let unknown = try bin.run("batch", "7", "--json")
        #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.contains("no batch 7"))
        let badFilter = try bin.run("batch", "1", "--filter", "{callStatus")
        #expect(badFilter.status == 2 && badFilter.stderr.contains("--filter"))
        let badOrder = try bin.run("batch", "1", "--sort-order", "up")
        #expect(badOrder.status == 2 && badOrder.stderr.contains("asc or desc"))
        let page = try bin.run("batch", "1", "--limit", "1", "--page", "2", "--json")
        let json = try #require(try page.json() as? [String: Any])
        #expect(json[int: "total"] == 3 && json[int: "totalPages"] == 3 && (json["calls"] as? [Any])?.count == 1)
        let table = try bin.run("batch", "1")
        #expect(table.status == 0 && table.stdout.contains("calls 1-3 of 3"))
        let addUnknown = try bin.run("add-calls", "9", "c.csv")
        #expect(addUnknown.status == 2)
        try bin.write("bad.json", #"[{"phoneNumber":"12"}]"#)
        let rejected = try bin.run("add-calls", "1", "bad.json", "--json")
        let body = try rejected.json() as? [String: Any]
        #expect(rejected.status == 1 && body?[int: "code"] == 400)

        let invalid = try bin.run("dnc", "add", "+1 415 555 0100", "12")
        #expect(invalid.status == 1 && invalid.stderr.contains("12") && invalid.stderr.contains("nothing was changed"))
        #expect(try bin.run("dnc", "list").stdout.isEmpty)
        #expect(try bin.run("dnc", "add", "+1 415 555 0100").status == 0)
        let removed = try bin.run("dnc", "remove", "(415) 555-0100", "415 555 0101", "--json")
        let results = try #require(try removed.json() as? [[String: Any]])
        #expect(results.map { $0[string: "result"] } == ["removed", "not_listed"])
        #expect(try bin.run("dnc", "list").stdout.isEmpty)
    }

    /// A DNC file named in the config is loaded by the running daemon when it appears or
    /// changes: a number written to it is suppressed in the next dropped file.
    @Test func aConfiguredDNCFileIsReloadedWhenItChanges() throws {
        let d = try DaemonProcess(extraConfig: """
            [dnc]
            files = ["dnc.txt"]
            check_seconds = 0.2
            """)
        try d.start()
        try d.bin.write("dnc.txt", "(415) 555-0001\n")
        // A file caught half-written loads again once complete: wait for the count it ends with.
        #expect(d.waitFor(seconds: 10) { d.logText().contains("numbers=1") }, "\(d.logText())")
        try d.dropByRename("first.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/first.csv.report.json") })
        #expect(try d.report("processed/first.csv.report.json").counts["suppressed"] == 1)
        #expect(d.waitFor(seconds: 10) { d.logText().contains("search index caught up") }, "the daemon indexes new calls")
        try d.bin.write("dnc.txt", "(415) 555-0001\n(415) 555-0012\n")
        #expect(d.waitFor(seconds: 10) { d.logText().contains("numbers=2") }, "\(d.logText())")
        try d.dropByRename("second.csv", contactsCSV(rows: 3, base: 10))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/second.csv.report.json") })
        #expect(try d.report("processed/second.csv.report.json").counts["suppressed"] == 1)
        d.stop()
        let list = try d.bin.run("dnc", "list", "--json")
        let entries = try #require(try list.json() as? [[String: Any]])
        #expect(entries.map { $0[string: "phoneNumber"] } == ["+14155550001", "+14155550012"])
        #expect(entries.first?["sources"] as? [String] == ["file:dnc.txt"])
    }

    /// The sample workbooks add to a batch imported from the sample file with errors (4 valid
    /// contacts, 3 of them also in the workbooks of 25): the XLSX inserts 22 and updates 3, then
    /// the XLS holds the same 25, now all pending: 25 updated.
    @Test func workbooksAddToABatch() throws {
        let bin = try Binary(samples: ["contacts_with_errors.csv", "contacts.xlsx", "contacts.xls"])
        #expect(try bin.run("import", "contacts_with_errors.csv").status == 0)
        for (file, inserted, updated) in [("contacts.xlsx", 22, 3), ("contacts.xls", 0, 25)] {
            let r = try bin.run("add-calls", "1", file, "--json")
            let body = try #require(try r.json() as? [String: Any], "\(r.stderr)")
            let data = try #require(body["data"] as? [String: Any])
            #expect(r.status == 0 && body[int: "code"] == 200, "\(r.stdout)")
            #expect(data[int: "inserted"] == inserted && data[int: "updated"] == updated && data[int: "totalAdded"] == 25)
        }
        #expect((try bin.run("batch", "1", "--json").json() as? [String: Any])?[int: "total"] == 26)
    }
}
