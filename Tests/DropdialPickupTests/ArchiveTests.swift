import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Testing

@Suite struct ArchiveTests {
    func claim(_ dir: TempDir, _ name: String, _ text: String, manifest: String? = nil) throws -> ClaimedFile {
        dir.write(name, text)
        if let manifest { dir.write(PickupNames.manifestName(for: name), manifest) }
        guard case .claimed(let c) = try Claim.take(name, from: InboxFolders(inbox: dir.path)) else {
            throw PickupError.noFreeName(folder: dir.path, name: name)
        }
        return c
    }

    @Test func archivedFileHasItsReportBesideIt() throws {
        let dir = TempDir()
        let c = try claim(dir, "contacts.csv", "data", manifest: "{\"batchName\":\"x\"}")
        let a = try Archive.file(c, to: .processed, report: Data("{\"status\":\"imported\"}".utf8),
                                 errorsCSV: Data("row,code\n".utf8))
        #expect(a.dataPath == dir.file("processed/contacts.csv"))
        #expect(a.reportPath == dir.file("processed/contacts.csv.report.json"))
        #expect(a.errorsPath == dir.file("processed/contacts.csv.errors.csv"))
        #expect(a.manifestPath == dir.file("processed/contacts.batch.json"))
        #expect(dir.read("processed/contacts.csv") == "data")
        #expect(dir.read("processed/contacts.csv.report.json") == "{\"status\":\"imported\"}")
        #expect(dir.read("processed/contacts.csv.errors.csv") == "row,code\n")
        #expect(dir.read("processed/contacts.batch.json") == "{\"batchName\":\"x\"}")
        #expect(dir.list(".dropdial-work").isEmpty)
        #expect(!dir.exists("failed"))
    }

    @Test func sameNameNeverOverwrites() throws {
        let dir = TempDir()
        var finals: [String] = []
        for i in 1...3 {
            let c = try claim(dir, "contacts.csv", "v\(i)", manifest: i == 2 ? "{}" : nil)
            finals.append(try Archive.file(c, to: .failed, report: Data("r\(i)".utf8)).finalName)
        }
        #expect(finals == ["contacts.csv", "contacts (2).csv", "contacts (3).csv"])
        #expect(dir.read("failed/contacts.csv") == "v1")
        #expect(dir.read("failed/contacts (2).csv") == "v2")
        #expect(dir.read("failed/contacts (3).csv") == "v3")
        #expect(dir.read("failed/contacts (2).csv.report.json") == "r2")
        #expect(dir.read("failed/contacts (2).batch.json") == "{}")
        #expect(dir.list("failed").count == 7)
    }

    @Test func aStrangerHoldingTheReportNameAlsoBumpsTheName() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("processed"), withIntermediateDirectories: true)
        dir.write("processed/a.xlsx.report.json", "someone else's")
        let c = try claim(dir, "a.xlsx", "zip")
        let a = try Archive.file(c, to: .processed, report: Data("mine".utf8))
        #expect(a.finalName == "a (2).xlsx")
        #expect(dir.read("processed/a.xlsx.report.json") == "someone else's")
        #expect(dir.read("processed/a (2).xlsx.report.json") == "mine")
    }

    @Test(arguments: [
        ("contacts.csv", 1, "contacts.csv"), ("contacts.csv", 2, "contacts (2).csv"),
        ("q1.leads.xlsx", 3, "q1.leads (3).xlsx"), ("README", 2, "README (2)"),
    ])
    func uniqueNameKeepsTheExtensionLast(name: String, n: Int, expected: String) {
        #expect(UniqueName.candidate(name, n) == expected)
    }

    @Test func interruptedArchiveIsFinishedFromItsIntent() throws {
        let dir = TempDir()
        let c = try claim(dir, "late.csv", "data", manifest: "{}")
        // Simulate a kill right after step 3: report staged, intent written, data moved, rest not.
        let intent = ArchiveIntent(claimed: c, destination: .processed, finalName: "late.csv", hasErrors: false)
        try FileSystem.writeAtomically(Data("report".utf8), to: intent.stagedReport)
        try FileSystem.writeAtomically(intent.encoded(), to: intent.path)
        try FileSystem.makeFolder(dir.file("processed"))
        #expect(rename(c.claimedPath, dir.file("processed/late.csv")) == 0)

        let leftovers = try Recovery.leftovers(in: c.folders)
        #expect(leftovers == [.archiving(intent)])
        let a = try Archive.resume(intent)
        #expect(a.dataPath == dir.file("processed/late.csv"))
        #expect(dir.read("processed/late.csv.report.json") == "report")
        #expect(dir.read("processed/late.batch.json") == "{}")
        #expect(dir.list(".dropdial-work").isEmpty)
        #expect(try Recovery.leftovers(in: c.folders).isEmpty)
    }

    @Test func killBeforeTheIntentLeavesAClaimToRedo() throws {
        let dir = TempDir()
        let c = try claim(dir, "early.csv", "data")
        let intent = ArchiveIntent(claimed: c, destination: .failed, finalName: "early.csv", hasErrors: false)
        try FileSystem.writeAtomically(Data("stale".utf8), to: intent.stagedReport)
        try FileSystem.writeAtomically(Data("stale".utf8), to: intent.stagedErrors)
        #expect(try Recovery.leftovers(in: c.folders) == [.claimed(c)])
        let a = try Archive.file(c, to: .failed, report: Data("fresh".utf8))
        #expect(dir.read("failed/early.csv.report.json") == "fresh")
        #expect(a.finalName == "early.csv")
        #expect(a.errorsPath == nil && !dir.exists("failed/early.csv.errors.csv"))
        #expect(dir.list(".dropdial-work").isEmpty)
    }
}
