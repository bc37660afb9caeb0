import DropdialTestKit
import Foundation
import Testing

/// Issue 11 case 12: numbers at their limits are usage errors (exit 2 with a message) or work;
/// they never trap, wrap around or reach SQLite's limits.
@Suite struct NumberLimitsTests {
    /// A folder with one imported batch of three calls.
    func imported() throws -> Binary {
        let bin = try Binary()
        try bin.write("c.csv", contactsCSV(rows: 3))
        let r = try bin.run("import", "c.csv")
        #expect(r.status == 0, "\(r.stderr)")
        return bin
    }

    /// `(page - 1) * limit` overflowed and trapped (exit 132).
    @Test func aPagePastAnyOffsetIsAUsageError() throws {
        let bin = try imported()
        let huge = try bin.run("batch", "1", "--page", "9223372036854775807")
        #expect(huge.status == 2, "\(huge.stderr)")
        #expect(huge.stderr.contains("--page 9223372036854775807") && huge.stderr.contains("pages go up to"))
        #expect(huge.stdout.isEmpty)
        let beyond = try bin.run("batch", "1", "--page", "99999999999999999999", "--json")
        #expect(beyond.status == 2 && beyond.stderr.contains("--page"), "\(beyond.stderr)")
        // The last page whose offset is a 64-bit number is an empty page, as any page past the end.
        let last = try bin.run("batch", "1", "--limit", "1", "--page", "9223372036854775807", "--json")
        #expect(last.status == 0, "\(last.stderr)")
        let json = try #require(try last.json() as? [String: Any])
        #expect((json["calls"] as? [Any])?.isEmpty == true && json[int: "total"] == 3)
        let table = try bin.run("batch", "1", "--limit", "1", "--page", "9223372036854775807")
        #expect(table.status == 0 && table.stdout.contains("no calls on page 9223372036854775807"), "\(table.stderr)")
    }

    /// A filter of 1,000 values exited 3 (SQLite's expression depth limit). The values are one
    /// bound JSON array now; 5,000 is as many as fit in one command-line argument (128 KiB), the
    /// store tests take 100,000.
    @Test(arguments: [1_000, 5_000])
    func aFilterOfManyValuesWorks(count: Int) throws {
        let bin = try imported()
        let names = (0..<count).map { "\"Name \($0)\"" }.joined(separator: ",")
        let r = try bin.run("batch", "1", "--json", "--filter", "{\"name\":[\(names)]}")
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try r.json() as? [String: Any])
        #expect(json[int: "total"] == 3)
        let zones = (0..<count).map { "\"Zone/\($0)\"" }.joined(separator: ",")
        let none = try bin.run("batch", "1", "--json", "--filter", "{\"timezone\":[\(zones)]}")
        #expect(none.status == 0, "\(none.stderr)")
        #expect(try #require(try none.json() as? [String: Any])[int: "total"] == 0)
    }

    /// `max_file_mb = 9223372036854775807` wrapped to a negative byte limit and rejected every
    /// file; an out-of-range value is a config error naming the key.
    @Test(arguments: ["9223372036854775807", "1048577", "0", "-5"])
    func anOutOfRangeMaxFileSizeIsAConfigError(value: String) throws {
        let bin = try Binary()
        try bin.write("dropdial.toml", "[[inbox]]\npath = \"inbox\"\nmax_file_mb = \(value)\n")
        try bin.write("c.csv", contactsCSV(rows: 3))
        let r = try bin.run("import", "c.csv")
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("inbox[0].max_file_mb") && r.stderr.contains("1 to 1048576"), "\(r.stderr)")
    }

    /// The largest accepted value imports as any other.
    @Test func theLargestMaxFileSizeImports() throws {
        let bin = try Binary()
        try bin.write("dropdial.toml", "[[inbox]]\npath = \"inbox\"\nmax_file_mb = 1048576\n")
        try bin.write("c.csv", contactsCSV(rows: 3))
        let r = try bin.run("import", "c.csv")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(try bin.report("c.csv")[string: "status"] == "imported")
    }
}
