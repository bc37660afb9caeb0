import DropdialTestKit
import Foundation
import Testing

/// The real binary validates with the carried numbering data (bound into libphonenumber when the
/// binary is linked, not only in the test binary), and every path normalizes a new-range number
/// the same way: `dnc add`, `check` and `import`.
@Suite struct NumberingDataTests {
    @Test func newRangesAreValidInEveryCommand() throws {
        let bin = try Binary()
        // 879: Newfoundland's overlay (2022-2023); 235: Missouri; 227: Maryland.
        try bin.write("c.csv", """
            phone,first_name
            (879) 555-0100,Ann
            +1 235 555 0100,Bo
            1-227-555-0100,Cy
            (415) 555-2671,Di

            """)
        let add = try bin.run("dnc", "add", "879.555.0100", "--json")
        #expect(add.status == 0, "\(add.stderr)")
        #expect((try add.json() as? [String: Any])?["listed"] as? [String] == ["+18795550100"])

        let check = try bin.run("check", "c.csv")
        let counts = try #require((try check.json() as? [String: Any])?["counts"] as? [String: Int], "\(check.stderr)")
        #expect(counts["invalid"] == 0 && counts["suppressed"] == 1 && counts["imported"] == 3, "\(counts)")

        let imported = try bin.run("import", "c.csv")
        #expect(imported.status == 0, "\(imported.stderr)")
        let batch = try bin.run("batch", "1", "--json")
        #expect(batch.stdout.contains("+12355550100") && batch.stdout.contains("+12275550100"), "\(batch.stdout)")
        #expect(!batch.stdout.contains("+18795550100"), "the listed number is suppressed")
    }

    /// `--help` prints the usage and succeeds (ArgumentParser's help command throws its request).
    @Test(arguments: [["--help"], ["import", "--help"], ["check", "--help"]])
    func helpPrintsUsage(_ args: [String]) throws {
        let r = try Binary().run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("USAGE:"), "\(r.stdout)")
    }
}
