import DropdialTestKit
import Foundation
import Testing

/// Every command but `run` (which `PostgresNodesTests` and the HTTP suites run on both engines),
/// through the real binary on an SQLite file and on a PostgreSQL schema: the same files and
/// commands give the same output, but for the instants.
@Suite struct PostgresCLITests {
    /// A working folder with the samples and a config naming `database`.
    func folder(database: String) throws -> Binary {
        let bin = try Binary(samples: ["contacts.csv", "contacts_with_errors.csv", "contacts.xlsx", "contacts.xls"])
        try bin.write("dropdial.toml", """
            database = "\(database)"
            [[inbox]]
            name = "inbox"
            path = "inbox"
            create = true
            """)
        try bin.write("more.csv", "phone_number,first_name\n+1 212 555 0147,Jim\n+1 646 555 0101,New\nnot a phone,Bad\n")
        try bin.write("dnc.txt", "+1 415 555 0199\n(212) 555-0142\nnot a number\n")
        return bin
    }

    /// Each command's status and its stdout with the instants (which differ run to run) blanked.
    func session(_ bin: Binary) throws -> [String] {
        let commands: [[String]] = [
            ["dnc", "add", "+14155550132", "--json"],
            ["dnc", "import", "dnc.txt"],
            ["import", "contacts.csv", "--json"],
            ["import", "contacts_with_errors.csv", "--json"],
            ["import", "contacts.xlsx", "--json"],
            ["import", "contacts.xls", "--json"],
            ["import", "contacts.csv", "--json"],          // the same content again: duplicate
            ["batches", "--json"],
            ["batches"],
            ["dnc", "remove", "+14155550132"],
            ["dnc", "list", "--json"],
            ["keys", "create", "ops", "--role", "operator", "--inbox", "inbox", "--json"],
            ["keys", "create", "reader"],
            ["keys", "create", "ops"],                      // the name is taken
            ["keys", "create", "bad name"],
            ["keys", "revoke", "ops"],
            ["keys", "revoke", "nobody"],
            ["keys", "list", "--json"],
            ["keys", "list"],
            ["batch", "1", "--json"],
            ["batch", "2", "--limit", "1", "--page", "2"],
            ["batch", "2", "--sort-by", "first_name", "--sort-order", "desc", "--json"],
            ["batch", "2", "--sort-by", "timezone", "--limit", "50"],
            ["batch", "1", "--sort-by", "account_id", "--sort-order", "desc", "--limit", "50"],
            ["batch", "2", "--sort-by", "phoneNumber", "--limit", "50"],
            ["batch", "1", "--filter", #"{"callStatus":"pending","first_name":["James","Aisha"]}"#, "--json"],
            ["batch", "1", "--search", "WHIT", "--json"],
            ["batch", "1", "--filter", #"{"timezone":"America/Chicago"}"#],
            ["batch", "1", "--search", "4", "--limit", "50"],
            ["batch", "1", "--sort-by", "nosuchfield"],
            ["batch", "99"],
            ["export", "1"],
            ["export", "2"],
            ["export", "3", "--format", "xlsx", "--out", "results.xlsx"],
            ["export", "99"],
            ["add-calls", "1", "more.csv", "--json"],
            ["add-calls", "2", "contacts.csv"],
            ["add-calls", "99", "more.csv"],
            ["pause", "1"],
            ["add-calls", "1", "more.csv"],
            ["cancel", "3"],
            ["add-calls", "3", "more.csv"],
            ["batch", "1", "--sort-by", "phoneNumber", "--limit", "50"],
            ["batches", "--json"],
            ["simulate", "--start", "2030-01-07T09:00:00Z", "--outcome", "no_answer", "--json"],
            ["simulate", "--start", "2030-01-07T09:00:00Z", "--until", "2030-01-07T18:00:00Z"],
        ]
        return try commands.map { args in
            let r = try bin.run(args)
            return "\(args.joined(separator: " ")) -> \(r.status)\n" + Self.blankInstants(r.stdout)
        }
    }

    /// ISO 8601 instants (`2026-12-04T18:21:28.123Z`) become `<instant>`, a report's
    /// `durationMs` `<ms>`, and a key's secret (random) `<key>`.
    static func blankInstants(_ text: String) -> String {
        text.replacingOccurrences(of: #"dd_[A-Za-z0-9_-]{43}"#, with: "<key>", options: .regularExpression)
            .replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"#, with: "<instant>",
                                  options: .regularExpression)
            .replacingOccurrences(of: #""durationMs" : \d+"#, with: #""durationMs" : <ms>"#, options: .regularExpression)
    }

    @Test func sameOutputOnBothEngines() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let sqlite = try session(try folder(database: "dropdial.sqlite"))
        let postgres = try session(try folder(database: TestEngines.url(base, schema: TestEngines.schemaName("cli"))))
        #expect(sqlite.count == postgres.count)
        for (a, b) in zip(sqlite, postgres) { #expect(a == b) }
        // The session did something worth comparing.
        #expect(sqlite[2].hasPrefix("import contacts.csv --json -> 0"))
        #expect(sqlite[6].contains("\"duplicate\""))
        // The command line, the header and four batches; below, the command line, the header and two keys.
        #expect(sqlite[8].split(separator: "\n").count == 6, "\(sqlite[8])")
        #expect(sqlite[11].hasPrefix("keys create ops --role operator --inbox inbox --json -> 0") && sqlite[11].contains("<key>"), "\(sqlite[11])")
        #expect(!sqlite[13].hasSuffix("-> 0\n") && !sqlite[14].hasSuffix("-> 0\n"), "a taken name and a bad one are refused")
        #expect(sqlite[18].split(separator: "\n").count == 4 && sqlite[18].contains("ops\toperator\tinbox"), "\(sqlite[18])")
        for i in 19...28 { #expect(sqlite[i].contains("-> 0\n") && sqlite[i].contains("+1"), "\(sqlite[i])") }
        #expect(sqlite[26].contains("Whitaker") && !sqlite[26].contains("Rahman"), "the search found its call: \(sqlite[26])")
        #expect(sqlite[25].contains("Whitaker") && sqlite[25].contains("Rahman") && !sqlite[25].contains("O'Neill"), "\(sqlite[25])")
        #expect(sqlite[29].hasSuffix("-> 2\n") && sqlite[30].hasSuffix("-> 2\n"), "an unknown sort field, an unknown batch")
        #expect(sqlite[35].contains("-> 0") && sqlite[35].contains("\"inserted\"") || sqlite[35].contains("totalAdded"), "\(sqlite[35])")
        #expect(sqlite[44].components(separatedBy: "\"attempt\"").count > 10, "the simulation dialed: \(sqlite[44].prefix(300))")
        #expect(sqlite[45].contains("attempt 1"), "\(sqlite[45].prefix(300))")
        #expect(sqlite[31].components(separatedBy: "\r\n").count > 3 && sqlite[31].contains("phone_number,first_name,last_name"), "\(sqlite[31])")
    }
}
