import DropdialTestKit
import Foundation
import Testing

/// The results export at scale (SPEC §10, issue 17): `dropdial export` of a 100,000-call batch in
/// flat memory, every row the same call as `batch ID --json` shows. (`bench/dashboard.sh` times it
/// at 1M calls in a release build.)
@Suite(.serialized) struct ExportScaleTests {
    /// `dropdial export` under /usr/bin/time: (status, peak RSS in MB).
    static func measured(_ bin: Binary, _ args: [String]) throws -> (Int32, Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%M", Binary.path] + args
        p.currentDirectoryURL = bin.dir
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let kb = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        return (p.terminationStatus, kb / 1024)
    }

    @Test func aLargeBatchExportsInFlatMemoryAndMatchesItsDetails() throws {
        let bin = try Binary()
        try bin.write("dropdial.toml", "[[inbox]]\nname = \"inbox\"\npath = \"inbox\"\n")
        func contacts(_ n: Int, _ name: String) throws {
            var text = "phone,name,zip\n"
            text.reserveCapacity(n * 40)
            for i in 0..<n { text += "+1415\(2_000_000 + i),Name \(i),\(String(format: "%05d", i % 1000))\n" }
            try bin.write(name, text)
            let made = try bin.run("import", bin.file(name))
            #expect(made.status == 0, "\(made.stderr)")
        }
        try contacts(10_000, "small.csv")
        try contacts(100_000, "large.csv")
        let (smallStatus, smallMB) = try Self.measured(bin, ["export", "1", "--out", bin.file("small.out.csv")])
        let (largeStatus, largeMB) = try Self.measured(bin, ["export", "2", "--out", bin.file("large.out.csv")])
        #expect(smallStatus == 0 && largeStatus == 0)
        #expect(largeMB <= 150, "peak RSS \(largeMB) MB")
        #expect(largeMB <= smallMB + 20, "flat: \(smallMB) MB at 10,000 calls, \(largeMB) MB at 100,000")

        // Every exported row against the batch's pages, in call order.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bin.file("large.out.csv")))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.first == "phone_number,name,zip,timezone,status,attempts,last_outcome,last_attempt_local,last_attempt_utc,next_attempt_local,next_attempt_utc")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 100_000)
        var checked = 0
        for page in 1...10 {
            let details = try bin.run("batch", "2", "--json", "--limit", "10000", "--page", String(page))
            let calls = try #require((try details.json() as? [String: Any])?["calls"] as? [[String: Any]])
            for (call, row) in zip(calls, rows[(page - 1) * 10_000..<page * 10_000]) {
                let variables = call["variables"] as? [String: String] ?? [:]
                let same = row[0] == "'" + (call[string: "phoneNumber"] ?? "") && row[1] == variables["name"] && row[2] == variables["zip"]
                    && row[3] == call[string: "timezone"] && row[4] == call[string: "status"] && row[5] == "\(call[int: "attempts"] ?? -1)"
                if !same { Issue.record("row \(checked + 1): \(row) against \(call)") }
                checked += 1
            }
        }
        #expect(checked == 100_000)
    }
}
