import DropdialConfig
import DropdialImport
import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// The store contract on both engines: one suite, the same assertions for SQLite and PostgreSQL,
/// and where both ran, the same stored bytes from each.
@Suite struct EngineContractTests {
    /// 5,000 rows (three handed-over batches): duplicates near and far, an invalid row every 25,
    /// and the cells COPY's text format must escape (tab, backslash, newline, carriage return,
    /// `\N`, quotes) or PostgreSQL cannot hold (NUL), beside non-ASCII names.
    static func csv() -> String {
        var lines = ["phone,name,note,timezone,amount"]
        for i in 0..<5000 {
            let phone: String
            switch i % 25 {
            case 3: phone = String(format: "(415) 555-%04d", i % 89)   // repeats every 89 numbers
            case 11: phone = "not a phone"
            default: phone = String(format: "+1617%03d%04d", 200 + i / 1000, i)
            }
            let note: String
            switch i % 7 {
            case 0: note = "\"tab\there\""
            case 1: note = "\"back\\slash \\N \\t\""
            case 2: note = "\"line\nbreak\r\ncrlf\""
            case 3: note = "\"say \"\"hi\"\"\""
            case 4: note = "Zoë Ñandú 北京 🙂"
            default: note = ""
            }
            // Numbers (some with spaces or an exponent), text and empty cells, to sort together.
            let amount = i % 13 == 0 ? "" : i % 5 == 0 ? "x\(i % 17)" : i % 11 == 0 ? " 1.5e1 " : "\(i % 97).\(i % 3)"
            lines.append("\(phone),Name \(i),\(note),\(i % 40 == 0 ? "America/Chicago" : ""),\(amount)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String, _ tag: String, name: String = "contacts.csv") throws -> String {
        let path = try Scratch.folder(tag).appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let importedAt = Date(timeIntervalSince1970: 1_800_000_000.125)

    func importFile(_ path: String, _ engine: any StoreEngine, inbox: String = "inbox", claimKey: String? = nil) throws -> ImportReport {
        try Importer(inbox: InboxConfig(name: inbox)).run(path: path, manifestPath: path + ".none", store: engine,
                                                          now: Self.importedAt, claimKey: claimKey)
    }

    func requirePostgres(_ engines: [(name: String, engine: any StoreEngine)]) {
        if TestEngines.postgresRequired {
            #expect(engines.count == 2, "DROPDIAL_TEST_POSTGRES_REQUIRED=1 but DROPDIAL_TEST_POSTGRES is not set: the PostgreSQL half did not run")
        }
    }

    @Test func importsTheSameBatchOnEachEngine() throws {
        let engines = try TestEngines.all("dd-contract")
        requirePostgres(engines)
        let path = try Self.write(Self.csv(), "dd-contract")
        var seen: [(report: ImportReport, batches: [BatchSummary], calls: [StoredCall])] = []
        for (name, engine) in engines {
            let report = try importFile(path, engine, claimKey: "claim-1")
            #expect(report.status == .imported, "\(name): \(report.error ?? "")")
            #expect(report.counts.rows == 5000, "\(name)")
            #expect(report.counts.invalid == 200, "\(name)")
            #expect(report.counts.duplicates > 100, "\(name)")
            #expect(report.counts.imported == 5000 - 200 - report.counts.duplicates, "\(name)")
            #expect(report.duplicateRows.allSatisfy { $0.firstRow < $0.row }, "\(name)")
            let batches = try engine.batches()
            #expect(batches.count == 1, "\(name)")
            #expect(batches.first?.calls == ["pending": report.counts.imported], "\(name)")
            #expect(batches.first?.createdAt == Date(timeIntervalSince1970: 1_800_000_000.125), "\(name)")
            let calls = try engine.storedCalls(batch: try #require(report.batchId))
            #expect(calls.count == report.counts.imported, "\(name)")
            // Row order is call order, each number once.
            #expect(calls.map { $0.rowNumber ?? 0 } == calls.map { $0.rowNumber ?? 0 }.sorted(), "\(name)")
            #expect(Set(calls.map(\.phoneNumber)).count == calls.count, "\(name)")
            #expect(try engine.committedClaim("claim-1")?.batchId == report.batchId, "\(name)")
            #expect(try engine.fileStates(inbox: "inbox").map(\.state) == ["imported"], "\(name)")
            seen.append((report, batches, calls))
        }
        if seen.count == 2 {
            let (a, b) = (seen[0], seen[1])
            #expect(a.report.counts == b.report.counts)
            #expect(a.report.duplicateRows == b.report.duplicateRows)
            #expect(a.report.errors == b.report.errors)
            #expect(a.batches.map(\.counts) == b.batches.map(\.counts))
            #expect(a.batches.map(\.calls) == b.batches.map(\.calls))
            // The same bytes, but NUL: PostgreSQL text cannot hold it (the CSV has none).
            #expect(a.calls == b.calls)
            let escaped = b.calls.first { $0.variables.contains("\\\\slash") }
            #expect(escaped != nil, "a backslash cell came through")
        }
    }

    /// Batch details on both engines give the same pages (calls compared by row, ids aside): the
    /// same filters, orders (numbers before text, byte order, nulls first) and searches over the
    /// 5,000 tricky rows.
    @Test func batchDetailsAreTheSameOnEachEngine() throws {
        let engines = try TestEngines.all("dd-details")
        requirePostgres(engines)
        let path = try Self.write(Self.csv(), "dd-details")
        let queries: [CallQuery] = [
            try CallQuery(limit: 25),
            try CallQuery(page: 7, limit: 100),
            try CallQuery(limit: 60, sort: CallSort(field: .variable("note"))),
            try CallQuery(limit: 60, sort: CallSort(field: .variable("note"), descending: true)),
            try CallQuery(page: 3, limit: 40, sort: CallSort(field: .variable("name"), descending: true)),
            try CallQuery(limit: 30, sort: CallSort(field: .timezone, descending: true)),
            try CallQuery(page: 2, limit: 300, sort: CallSort(field: .variable("amount"))),   // nulls, then numbers
            try CallQuery(page: 5, limit: 300, sort: CallSort(field: .variable("amount"))),
            try CallQuery(page: 2, limit: 500, sort: CallSort(field: .variable("amount"), descending: true)),
            try CallQuery(limit: 30, sort: CallSort(field: .phoneNumber)),
            try CallQuery(limit: 50, filter: CallFilter(json: #"{"timezone":"America/Chicago"}"#)),
            try CallQuery(limit: 50, filter: CallFilter(json: #"{"note":null,"callStatus":"pending"}"#)),
            try CallQuery(limit: 50, filter: CallFilter(json: #"{"name":["Name 7","Name 4000","nobody"]}"#)),
            try CallQuery(limit: 50, search: "zoË"),
            try CallQuery(limit: 50, search: "北京"),
            try CallQuery(limit: 50, search: "name 49"),
            try CallQuery(limit: 50, search: "6172"),
            try CallQuery(limit: 50, search: "\\N"),
        ]
        var pages: [[String]] = []
        for (name, engine) in engines {
            let report = try importFile(path, engine)
            let batch = try #require(report.batchId)
            // The rows by call id, so pages compare by row whatever ids each engine gave.
            var mine: [String] = []
            for query in queries {
                let d = try engine.batchDetails(batch, query)
                mine.append("\(d.total) \(d.totalPages) " + d.calls.map {
                    "\($0.phoneNumber) \($0.variables.sorted { $0.key < $1.key }) \($0.timezone) \($0.status)"
                }.joined(separator: "|"))
            }
            #expect(mine[0].hasPrefix("\(report.counts.imported) "), "\(name): \(mine[0].prefix(40))")
            #expect(mine[13].split(separator: "|").count > 10, "\(name): the search found calls: \(mine[13].prefix(80))")
            #expect(throws: CallQueryError.unknownSortField("nosuch")) {
                try engine.batchDetails(batch, try CallQuery(sort: CallSort(field: .variable("nosuch"))))
            }
            pages.append(mine)
        }
        if pages.count == 2 {
            for (i, (a, b)) in zip(pages[0], pages[1]).enumerated() {
                #expect(a == b, "query \(i): \(queries[i])")
            }
        }
    }

    @Test func sameContentTwiceIsADuplicateAndWritesNothing() throws {
        let engines = try TestEngines.all("dd-contract-dup")
        requirePostgres(engines)
        let path = try Self.write(Self.csv(), "dd-contract-dup")
        for (name, engine) in engines {
            let first = try importFile(path, engine)
            let second = try importFile(path, engine)
            #expect(second.status == .duplicate, "\(name)")
            #expect(second.duplicateOf == first.batchId, "\(name)")
            #expect(try engine.batches().count == 1, "\(name)")
            // Another inbox takes the same content as a batch of its own.
            let other = try importFile(path, engine, inbox: "other")
            #expect(other.status == .imported, "\(name)")
            #expect(try engine.batches().count == 2, "\(name)")
        }
    }

    @Test func aRejectedFileLeavesNothing() throws {
        let engines = try TestEngines.all("dd-contract-rej")
        requirePostgres(engines)
        // Every row invalid: the default policy rejects the file after reading it all.
        let path = try Self.write("phone,name\nnope,A\nstill no,B\n", "dd-contract-rej")
        for (name, engine) in engines {
            let report = try importFile(path, engine)
            #expect(report.status == .rejected, "\(name)")
            #expect(try engine.batches().isEmpty, "\(name)")
            #expect(try engine.batchImported(inbox: "inbox", sha256: report.sha256) == nil, "\(name)")
        }
    }

    /// Two handles (two processes or nodes) import one content at the same moment: one batch.
    @Test func concurrentImportsOfOneContentCommitOnce() throws {
        let engines = try TestEngines.all("dd-contract-race")
        requirePostgres(engines)
        let path = try Self.write(Self.csv(), "dd-contract-race")
        for (name, engine) in engines {
            let other = try TestEngines.reopen(engine)
            let results = Results()
            let group = DispatchGroup()
            for handle in [engine, other] {
                DispatchQueue.global().async(group: group) {
                    let r = Result { try importFile(path, handle) }
                    results.add(r.map(\.status))
                }
            }
            group.wait()
            let statuses = results.all.compactMap { try? $0.get() }
            #expect(statuses.count == 2, "\(name): \(results.all)")
            #expect(statuses.filter { $0 == .imported }.count == 1, "\(name): \(statuses)")
            #expect(statuses.filter { $0 == .duplicate }.count == 1, "\(name): \(statuses)")
            #expect(try engine.batches().count == 1, "\(name)")
        }
    }

    @Test func doNotCallListAndSuppression() throws {
        let engines = try TestEngines.all("dd-contract-dnc")
        requirePostgres(engines)
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        for (name, engine) in engines {
            #expect(try engine.addToDNC(["+16172000001", "+16172000002", "+16172000001"], source: .manual, at: at) == 2, "\(name)")
            #expect(try engine.addToDNC(["+16172000002", "+16172000003"], source: .declined, at: at) == 1, "\(name)")
            try engine.replaceDNCFile("/etc/dnc.txt", fingerprint: "f1", numbers: ["+16172000003", "+16172000004"], at: at)
            #expect(try engine.dncFileFingerprint("/etc/dnc.txt") == "f1", "\(name)")
            #expect(try Set(engine.dncNumbers()) == ["+16172000001", "+16172000002", "+16172000003", "+16172000004"], "\(name)")
            let entries = try engine.dncEntries()
            #expect(entries.map(\.phoneNumber) == ["+16172000001", "+16172000002", "+16172000003", "+16172000004"], "\(name)")
            #expect(entries[1].sources.count == 2, "\(name)")
            #expect(entries[0].addedAt == at, "\(name)")
            #expect(try engine.removeFromDNC(["+16172000001", "+16172000003", "+16179999999"])
                    == [.removed, .keptByFiles(["/etc/dnc.txt"]), .notListed], "\(name)")
            #expect(try engine.isOnDNC("+16172000003"), "\(name)")
            #expect(try !engine.isOnDNC("+16172000001"), "\(name)")
            #expect(try engine.forgetDNCFiles(except: []) == ["/etc/dnc.txt"], "\(name)")
            // +16172000003 was kept only by the file (its `declined` entry was removed above).
            #expect(try engine.dncNumbers() == ["+16172000002"], "\(name)")

            // The import suppresses what the list holds.
            let path = try Self.write("phone,name\n+16172000002,A\n+16172000005,B\n+16172000003,C\n", "dd-contract-dnc")
            let report = try importFile(path, engine)
            #expect(report.status == .imported, "\(name)")
            #expect(report.counts.suppressed == 1, "\(name)")
            #expect(report.suppressedRows.map(\.row) == [2], "\(name)")
            #expect(try engine.storedCalls(batch: try #require(report.batchId)).map(\.phoneNumber)
                    == ["+16172000005", "+16172000003"], "\(name)")
        }
    }

    /// Several nodes starting at once against one new database: the migrations run once, under
    /// the advisory lock, and every node opens.
    @Test func migrationsRunOnceWhenNodesStartTogether() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("migrate"))
        let opened = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            opened.add(Result { try PostgresStore(url: url) }.map { _ in .imported })
        }
        #expect(opened.all.allSatisfy { (try? $0.get()) != nil }, "\(opened.all)")
        let store = try PostgresStore(url: url)
        #expect(try store.batches().isEmpty)
    }

    /// Claims in a shared work folder (SPEC §11): one node holds a claim; another node takes it
    /// only once the holder has been silent for the lease, and nobody takes an ended claim. The
    /// holder keeps its own claim (a restarted node redoes its files). SQLite: one node, every
    /// claim its own.
    @Test func aClaimIsHeldByOneNodeUntilItsLeaseRunsOut() throws {
        let sqlite = try Scratch.store("dd-claims")
        #expect(try sqlite.holdClaim("inbox/1", leaseSeconds: 60))
        #expect(try sqlite.holdClaim("inbox/1", leaseSeconds: 60), "the only node holds its claims")
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("claims"))
        let a = try PostgresStore(url: url, node: "node-a"), b = try PostgresStore(url: url, node: "node-b")
        #expect(try a.holdClaim("inbox/1", leaseSeconds: 60))
        #expect(try !b.holdClaim("inbox/1", leaseSeconds: 60), "node a is alive: its claim stays its own")
        #expect(try a.holdClaim("inbox/1", leaseSeconds: 60), "a holder keeps its claim")
        #expect(try b.holdClaim("inbox/2", leaseSeconds: 60), "another claim is free")
        try a.endClaim("inbox/1")
        #expect(try !a.holdClaim("inbox/1", leaseSeconds: 60) && !b.holdClaim("inbox/1", leaseSeconds: 60),
                "an ended claim is never taken again")
        try b.endClaim("inbox/3")   // ending a claim one never held changes nothing
        #expect(try a.holdClaim("inbox/3", leaseSeconds: 60))
        // Node a falls silent: after the lease, node b takes its claim.
        usleep(600_000)
        #expect(try b.holdClaim("inbox/3", leaseSeconds: 0.5), "node a silent for longer than the lease")
        #expect(try !a.holdClaim("inbox/3", leaseSeconds: 60), "node b holds it now")
    }
}

/// Results gathered from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<ImportReport.Status, any Error>] = []
    func add(_ r: Result<ImportReport.Status, any Error>) { lock.lock(); items.append(r); lock.unlock() }
    var all: [Result<ImportReport.Status, any Error>] { lock.lock(); defer { lock.unlock() }; return items }
}
