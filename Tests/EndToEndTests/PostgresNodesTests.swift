import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// Two `dropdial run` nodes on one PostgreSQL database (SPEC §11), each with its own inbox,
/// dialing through exec scripts that log every idempotency key they are asked to dial.
@Suite(.serialized) struct PostgresNodesTests {
    /// A node of `url` named `name` whose calls each take `seconds`, logging their keys to `log`.
    func node(_ name: String, url: String, log: String, seconds: Double = 0,
              dialer: String = "max_concurrent_per_batch = 4", sharedInbox: String? = nil) throws -> DaemonProcess {
        try DaemonProcess.dialing(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            sleep \(seconds)
            echo '{"outcome":"completed","durationSec":\(max(seconds, 1))}'
            """, dialer: dialer, topConfig: """
            database = "\(url)"
            node = "\(name)"
            """, http: #"listen = """#, sharedInbox: sharedInbox)
    }

    /// Six files dropped across the two nodes' inboxes: every file imported once, every call
    /// dialed exactly once by one of the nodes, every batch completed.
    @Test func twoNodesDialEveryCallOnce() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("nodes"))
        let logs = [Scratch.path("dials-a", suffix: ".log"), Scratch.path("dials-b", suffix: ".log")]
        let nodes = [try node("node-a", url: url, log: logs[0]), try node("node-b", url: url, log: logs[1])]
        for n in nodes { try n.start() }
        defer { for n in nodes { n.stop() } }
        for i in 0..<6 {
            try nodes[i % 2].dropByRename("c\(i).csv", contactsCSV(rows: 40, base: i * 40))
        }
        let finished = nodes[0].waitFor(seconds: 120) {
            let counts = nodes[0].callCounts()
            return counts["done"] == 240 && counts.count == 1
        }
        #expect(finished, "\(nodes[0].callCounts())\n\(nodes[0].logText())\n\(nodes[1].logText())")
        let keys = logs.flatMap(fileLines)
        #expect(keys.count == 240, "every call dialed once: \(keys.count) dials")
        #expect(Set(keys).count == keys.count, "no idempotency key twice")
        let batches = try #require(try nodes[1].bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == 6)
        #expect(batches.allSatisfy { $0[string: "status"] == "completed" }, "\(batches.map { $0[string: "status"] ?? "" })")
        // The export shows each call's outcome and when its attempt began.
        let export = try nodes[1].bin.run("export", "1").stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(export.count == 41, "header and 40 calls: \(export.count)")
        #expect(export.dropFirst().allSatisfy { $0.contains(",done,1,completed,") && $0.contains("Z,") }, "\(export.prefix(3))")
        for (i, n) in nodes.enumerated() {
            for file in [i, i + 2, i + 4] {
                #expect(n.exists("processed/c\(file).csv.report.json"), "c\(file).csv archived by node \(i)")
            }
        }
    }

    /// A node killed while calls ring, then restarted: it closes its own open attempts as failed
    /// (scheduled by the retry rules, 60 minutes on), the other node's are left alone, and no
    /// key is dialed twice.
    @Test func aRestartedNodeClosesOnlyItsOwnAttempts() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("nodekill"))
        let logs = [Scratch.path("dials-a", suffix: ".log"), Scratch.path("dials-b", suffix: ".log")]
        // Calls ring for 3 seconds each.
        let slow = { (name: String, log: String) in
            try node(name, url: url, log: log, seconds: 3, dialer: "max_concurrent_per_batch = 3")
        }
        let a = try slow("node-a", logs[0]), b = try slow("node-b", logs[1])
        try a.start()
        try b.start()
        defer { a.stop(); b.stop() }
        try a.dropByRename("c.csv", contactsCSV(rows: 30))
        // Both nodes have dialed, and node a has a call ringing now (a key it logged whose attempt
        // has not ended): the batch's 3 slots are shared by the two nodes, so a may hold none.
        let ringingOnA = { fileLines(logs[0]).count > a.logText().components(separatedBy: "attempt ended").count - 1 }
        #expect(a.waitFor(seconds: 60) { fileLines(logs[0]).count >= 1 && fileLines(logs[1]).count >= 1 && ringingOnA() },
                "both nodes dialing: \(fileLines(logs[0]).count), \(fileLines(logs[1]).count)")
        a.kill9()
        try a.start()
        // Everything ends but the attempts node a had in flight, which wait for their retry.
        let closed = { a.logText().components(separatedBy: "closed an attempt left in flight").count - 1 }
        #expect(a.waitFor(seconds: 120) {
            let c = a.callCounts()
            return c["dialing"] == nil && (c["done"] ?? 0) + (c["pending"] ?? 0) == 30 && c["pending"] == closed()
        }, "\(a.callCounts()), \(closed()) closed\n\(a.logText())")
        #expect(closed() >= 1, "\(a.logText())")
        #expect(!b.logText().contains("closed an attempt left in flight"), "node b kept its own attempts")
        let keys = logs.flatMap(fileLines)
        #expect(Set(keys).count == keys.count, "no idempotency key twice: \(keys.count) dials")
    }

    /// A node killed while its calls ring and never restarted: after `lease_seconds` without its
    /// heartbeat, the other node closes its attempts as failed for the retry rules (60 minutes on,
    /// not at once) and dials the rest; no key twice.
    @Test func aSilentNodesAttemptsAreTakenOver() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("lease"))
        let logs = [Scratch.path("dials-a", suffix: ".log"), Scratch.path("dials-b", suffix: ".log")]
        let make = { (name: String, log: String, seconds: Double) in
            try node(name, url: url, log: log, seconds: seconds, dialer: "max_concurrent_per_batch = 3\nlease_seconds = 2")
        }
        // Node a's calls ring for a minute, so they are in flight when it dies; node b's end at once.
        let a = try make("node-a", logs[0], 60)
        try a.start()
        try a.dropByRename("c.csv", contactsCSV(rows: 20))
        #expect(a.waitFor(seconds: 30) { a.callCounts()["dialing"] == 3 }, "\(a.callCounts())")
        a.kill9()
        let b = try make("node-b", logs[1], 0)
        try b.start()
        defer { b.stop() }
        let took = { b.logText().components(separatedBy: "took over an attempt of a silent node").count - 1 }
        #expect(b.waitFor(seconds: 60) {
            let c = b.callCounts()
            return c["done"] == 17 && c["pending"] == 3 && c["dialing"] == nil
        }, "\(b.callCounts())\n\(b.logText())")
        #expect(took() == 3, "\(b.logText())")
        // Node b dialed the 17 calls node a never began; a's 3 began (a script may not have logged
        // its key yet when the kill came) and wait for their retry.
        let keys = logs.flatMap(fileLines)
        #expect(fileLines(logs[1]).count == 17, "\(fileLines(logs[1]))")
        #expect(Set(keys).count == keys.count, "no key twice: \(fileLines(logs[0]).count) + \(fileLines(logs[1]).count) dials")
    }

    /// Three nodes, each with its own inbox, and two of them also watching one shared folder;
    /// files keep arriving while a random node is killed with -9 and restarted, 50 times. Then
    /// (every node stopped cleanly): every file imported exactly once and archived, no half
    /// batch, every call final or waiting for its retry, and no idempotency key dialed twice.
    /// 30 files across the nodes' inboxes and 10 into the shared folder, 3,000 calls (issue 18).
    @Test func killingRandomNodesLosesNothingAndDialsNothingTwice() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("chaos"))
        let log = Scratch.path("dials", suffix: ".log")
        let shared = try Scratch.folder("dd-shared-inbox").path
        let nodes = try (0..<3).map { i in
            try node("node-\(i)", url: url, log: log, seconds: 0.3,
                     dialer: "max_concurrent_per_batch = 5\nlease_seconds = 2\nstop_timeout_seconds = 10",
                     sharedInbox: i < 2 ? shared : nil)
        }
        for n in nodes { try n.start() }
        var rng = SplitMix64(seed: 18)
        let own = 30, inShared = 10, rows = 75, kills = 50
        let files = own + inShared
        func drop(_ i: Int) throws {
            let text = contactsCSV(rows: rows, base: i * rows)
            if i < own { return try nodes[i % 3].dropByRename("c\(i).csv", text) }
            let temp = shared + "/c\(i).csv.filepart"
            try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
            try FileManager.default.moveItem(atPath: temp, toPath: shared + "/c\(i).csv")
        }
        var dropped = 0
        let started = Date()
        for _ in 0..<kills {
            // Files arrive in the first 40 rounds, one each, and between the kills.
            if dropped < files { try drop(dropped); dropped += 1 }
            usleep(UInt32(200_000 + rng.next() % 600_000))
            let victim = nodes[Int(rng.next() % 3)]
            victim.kill9()
            try victim.start()
        }
        while dropped < files { try drop(dropped); dropped += 1 }
        let chaosSeconds = Date().timeIntervalSince(started)
        // Let every file land and every call be dialed or scheduled, then stop cleanly.
        let work = { (n: DaemonProcess) in n.listing(".dropdial-work").isEmpty }
        let sharedWork = { ((try? FileManager.default.contentsOfDirectory(atPath: shared + "/.dropdial-work")) ?? []).isEmpty }
        let settled = nodes[0].waitFor(seconds: 240) {
            let c = nodes[0].callCounts()
            return (c["done"] ?? 0) + (c["pending"] ?? 0) == files * rows && c["dialing"] == nil
                && nodes.allSatisfy(work) && sharedWork()
        }
        for n in nodes { n.stop() }
        #expect(settled, "\(nodes[0].callCounts())")
        let batches = try #require(try nodes[0].bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == files, "every file imported exactly once: \(batches.count) batches")
        #expect(batches.allSatisfy { $0.counts["imported"] == rows }, "no half batch")
        for i in 0..<own {
            #expect(nodes[i % 3].exists("processed/c\(i).csv.report.json"), "c\(i).csv archived")
        }
        let sharedProcessed = (try? FileManager.default.contentsOfDirectory(atPath: shared + "/processed")) ?? []
        for i in own..<files {
            #expect(sharedProcessed.filter { $0.hasPrefix("c\(i).") }.sorted() == ["c\(i).csv", "c\(i).csv.report.json"],
                    "c\(i).csv archived once from the shared folder: \(sharedProcessed.sorted())")
        }
        let sharedFailed = (try? FileManager.default.contentsOfDirectory(atPath: shared + "/failed")) ?? []
        #expect(sharedFailed.isEmpty, "nothing failed in the shared folder: \(sharedFailed)")
        let c = nodes[0].callCounts()
        #expect((c["done"] ?? 0) + (c["pending"] ?? 0) == files * rows, "every call final or scheduled: \(c)")
        let keys = fileLines(log)
        #expect(Set(keys).count == keys.count, "no idempotency key twice: \(keys.count) dials, \(Set(keys).count) keys")
        #expect(keys.count >= (c["done"] ?? 0), "every done call was dialed")
        let closed = nodes.map { $0.logText().components(separatedBy: "closed an attempt left in flight").count - 1 }.reduce(0, +)
        let took = nodes.map { $0.logText().components(separatedBy: "took over an attempt of a silent node").count - 1 }.reduce(0, +)
        print("chaos: \(files) files, \(files * rows) calls, \(kills) kills in \(Int(chaosSeconds)) s; calls \(c); "
              + "\(keys.count) dials, \(Set(keys).count) keys; attempts closed on restart \(closed), taken over \(took)")
    }

    /// A claim in a shared folder belongs to the node that made it (SPEC §11): node b, watching
    /// the folder, finds a file node a claimed and holds in the database. While node a's heartbeat
    /// goes on, b leaves the file alone (its recovery and retry passes skip it); once node a has
    /// been silent for `lease_seconds`, b takes the claim over and imports the file, once.
    @Test func aClaimInASharedFolderIsTakenOverOnlyAfterItsNodesLease() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("sharedclaim"))
        let shared = try Scratch.folder("dd-shared-claim").path
        // Node a claimed c.csv (sequence 1765000000000000) and holds the claim.
        let a = try PostgresStore(url: url, node: "node-a")
        let seq = "1765000000000000"
        #expect(try a.holdClaim("shared/" + seq, leaseSeconds: 3))
        try FileManager.default.createDirectory(atPath: shared + "/.dropdial-work", withIntermediateDirectories: true)
        try Data(contactsCSV(rows: 5).utf8).write(to: URL(fileURLWithPath: shared + "/.dropdial-work/\(seq)-c.csv"))
        let b = try node("node-b", url: url, log: Scratch.path("dials-b", suffix: ".log"),
                         dialer: "lease_seconds = 3", sharedInbox: shared)
        try b.start()
        defer { b.stop() }
        // Node a stays alive for 4 s (its heartbeat refreshed each second): b does not import.
        for _ in 0..<4 {
            #expect(try a.holdClaim("shared/" + seq, leaseSeconds: 3), "node a keeps its claim")
            usleep(1_000_000)
        }
        #expect((try b.bin.run("batches", "--json").json() as? [[String: Any]])?.isEmpty == true, "node b left node a's claim alone")
        #expect(FileManager.default.fileExists(atPath: shared + "/.dropdial-work/\(seq)-c.csv"))
        // Node a falls silent: after the lease, b takes the claim and imports the file.
        let processed = { ((try? FileManager.default.contentsOfDirectory(atPath: shared + "/processed")) ?? []).sorted() }
        #expect(b.waitFor(seconds: 30) { processed() == ["c.csv", "c.csv.report.json"] }, "\(processed())\n\(b.logText())")
        let batches = try #require(try b.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == 1 && batches.first?.counts["imported"] == 5, "\(batches)")
        #expect(try !a.holdClaim("shared/" + seq, leaseSeconds: 3), "the claim ended with its file archived")
    }

    /// Limits across nodes (SPEC §11): three nodes, two batches sharing two calling numbers, at
    /// most one call per number at a time. Each node alone would dial both numbers at once in each
    /// batch; the exec log's intervals (start and end of every call, by calling number) never
    /// overlap on one number, and the calls are spread over more than one node.
    @Test func concurrencyLimitsHoldAcrossNodes() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("limits"))
        let logs = (0..<3).map { Scratch.path("calls-\($0)", suffix: ".log") }
        let nodes = try (0..<3).map { i in
            try DaemonProcess.dialing(log: logs[i], script: """
                number=$(grep -o '"callingNumber":"[^"]*"' | cut -d'"' -f4)
                start=$(date +%s.%N)
                sleep 0.4
                echo "$start $(date +%s.%N) $number" >> "$1"
                echo '{"outcome":"completed","durationSec":1}'
                """, dialer: "max_concurrent_per_batch = 4\nmax_concurrent_per_number = 1", topConfig: """
                database = "\(url)"
                node = "node-\(i)"
                """, http: #"listen = """#)
        }
        for n in nodes { try n.start() }
        defer { for n in nodes { n.stop() } }
        let numbers = #"{"callingNumbers": ["+14155550100", "+14155550101"]}"#
        for (i, n) in nodes.prefix(2).enumerated() {
            try Data(numbers.utf8).write(to: URL(fileURLWithPath: n.path("c\(i).batch.json")))
            try n.dropByRename("c\(i).csv", contactsCSV(rows: 12, base: i * 12))
        }
        let finished = nodes[0].waitFor(seconds: 120) {
            let c = nodes[0].callCounts()
            return c["done"] == 24 && c.count == 1
        }
        #expect(finished, "\(nodes[0].callCounts())\n\(nodes[0].logText())")
        let calls = logs.flatMap(fileLines).compactMap { line -> (start: Double, end: Double, number: String)? in
            let f = line.split(separator: " ")
            guard f.count == 3, let a = Double(f[0]), let b = Double(f[1]) else { return nil }
            return (a, b, String(f[2]))
        }
        #expect(calls.count == 24, "every call dialed once: \(calls.count)")
        #expect(Set(calls.map(\.number)) == ["+14155550100", "+14155550101"], "\(Set(calls.map(\.number)))")
        #expect(logs.filter { !fileLines($0).isEmpty }.count >= 2, "more than one node dialed: \(logs.map { fileLines($0).count })")
        for number in Set(calls.map(\.number)) {
            let mine = calls.filter { $0.number == number }.sorted { $0.start < $1.start }
            for (earlier, later) in zip(mine, mine.dropFirst()) {
                #expect(later.start >= earlier.end, "\(number): a call began at \(later.start) while one ran until \(earlier.end)")
            }
        }
    }

    /// Three nodes on `url` with `dialer` keys and a compliance rule of one attempt per number in
    /// 24 hours, each logging its dials' keys to its own log; each call takes `seconds`.
    func limitedNodes(url: String, logs: [String], dialer: String, seconds: Double = 0) throws -> [DaemonProcess] {
        try (0..<3).map { i in
            try DaemonProcess.dialing(log: logs[i], script: """
                grep -o '"idempotencyKey":"[^"]*"' >> "$1"
                sleep \(seconds)
                echo '{"outcome":"completed","durationSec":1}'
                """, dialer: dialer, topConfig: """
                database = "\(url)"
                node = "node-\(i)"
                [[compliance]]
                name = "once a day"
                countries = ["US"]
                limits = [{ attempts = 1, hours = 24 }]
                """, http: #"listen = """#)
        }
    }

    /// `files` batches of the same `rows` numbers (under other names: the same content would be
    /// a duplicate of the inbox), one dropped on each node at once; waits until one call per
    /// number is done and the rest pending. Returns the attempts and the pending calls.
    func dialSameNumbers(_ nodes: [DaemonProcess], url: String, logs: [String], files: Int, rows: Int)
        throws -> (starts: [(phoneNumber: String, startedAt: Date)], waiting: [StoredCall])
    {
        for i in 0..<files {
            try nodes[i % nodes.count].dropByRename("c\(i).csv", contactsCSV(rows: rows).replacingOccurrences(of: "Name", with: "Name\(i)"))
        }
        let settled = nodes[0].waitFor(seconds: 90) {
            let c = nodes[0].callCounts()
            return c["done"] == rows && c["pending"] == rows * (files - 1)
        }
        #expect(settled, "\(nodes[0].callCounts())\n\(nodes[0].logText())")
        usleep(1_000_000)   // nothing more is dialed
        let store = try PostgresStore(url: url, node: "test")
        let starts = try store.attemptStarts(since: .distantPast)
        #expect(starts.count == rows && logs.flatMap(fileLines).count == rows, "\(starts.count) attempts")
        #expect(Set(starts.map(\.phoneNumber)).count == starts.count, "each number dialed once: \(starts.map(\.phoneNumber).sorted())")
        #expect(logs.filter { !fileLines($0).isEmpty }.count >= 2, "more than one node dialed: \(logs.map { fileLines($0).count })")
        let waiting = try store.batches().flatMap { try store.storedCalls(batch: $0.id) }.filter { $0.status == "pending" }
        let day = Date().timeIntervalSince1970 + 23 * 3600
        #expect(waiting.count == rows * (files - 1) && waiting.allSatisfy { Double($0.nextAttemptAt ?? 0) > day },
                "the other batches' calls wait the rule's 24 hours: \(waiting)")
        return (starts, waiting)
    }

    /// Compliance limits across nodes (SPEC §11): three batches with the same 30 numbers dropped
    /// on three nodes at once, a rule of one attempt per number in 24 hours. Each node alone
    /// checks the attempts it has read; together each number is dialed once, and its calls in
    /// the other batches wait the 24 hours.
    @Test func complianceLimitsHoldAcrossNodes() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("comply"))
        let logs = (0..<3).map { Scratch.path("dials-\($0)", suffix: ".log") }
        // Calls of 1 s, 3 at a time per batch (10 s a batch): every node has time to dial some.
        let nodes = try limitedNodes(url: url, logs: logs, dialer: "max_concurrent_per_batch = 3", seconds: 1)
        for n in nodes { try n.start() }
        defer { for n in nodes { n.stop() } }
        _ = try dialSameNumbers(nodes, url: url, logs: logs, files: 3, rows: 30)
    }

    /// Rate limits across nodes (SPEC §11): three nodes with `max_calls_per_second = 2`. Each
    /// node alone would start 2 calls a second; together the stored starts are never closer than
    /// 0.5 s (and the compliance rule still holds).
    @Test func rateLimitsHoldAcrossNodes() throws {
        guard let base = TestEngines.postgresServer() else { return }
        let url = TestEngines.url(base, schema: TestEngines.schemaName("rates"))
        let logs = (0..<3).map { Scratch.path("dials-\($0)", suffix: ".log") }
        let nodes = try limitedNodes(url: url, logs: logs, dialer: "max_concurrent_per_batch = 10\nmax_calls_per_second = 2")
        for n in nodes { try n.start() }
        defer { for n in nodes { n.stop() } }
        let (starts, _) = try dialSameNumbers(nodes, url: url, logs: logs, files: 2, rows: 10)
        let times = starts.map(\.startedAt.timeIntervalSince1970).sorted()
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= 0.499, "two starts \(later - earlier) s apart (at most 2 a second across the nodes)")
        }
    }

    /// PostgreSQL restarted under load (SPEC §11): two nodes dialing and importing on a server of
    /// the test's own, which is stopped for 3 seconds (sessions cut) and started again while
    /// files keep arriving. The nodes log, back off and carry on: every file imported once,
    /// every call dialed once and done, no key twice.
    @Test func aServerRestartedUnderLoadLosesNothingAndDialsNothingTwice() throws {
        guard TestEngines.postgresServer() != nil else { return }
        let dir = "/tmp/dd-pg-restart-" + UUID().uuidString.prefix(8).lowercased()
        let base = try Self.postgres("start", dir).trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? Self.postgres("stop", dir) }
        let url = TestEngines.url(base, schema: "restart")
        let logs = [Scratch.path("dials-a", suffix: ".log"), Scratch.path("dials-b", suffix: ".log")]
        let nodes = [try node("node-a", url: url, log: logs[0], seconds: 0.3),
                     try node("node-b", url: url, log: logs[1], seconds: 0.3)]
        for n in nodes { try n.start() }
        defer { for n in nodes { n.stop() } }
        let files = 6, rows = 40
        for i in 0..<4 { try nodes[i % 2].dropByRename("c\(i).csv", contactsCSV(rows: rows, base: i * rows)) }
        #expect(nodes[0].waitFor(seconds: 60) { logs.flatMap(fileLines).count >= 20 }, "dialing began")
        // Down for 3 seconds, with two more files dropped meanwhile.
        let restart = Thread { _ = try? Self.postgres("restart", dir, "3") }
        restart.start()
        usleep(500_000)
        for i in 4..<files { try nodes[i % 2].dropByRename("c\(i).csv", contactsCSV(rows: rows, base: i * rows)) }
        let finished = nodes[0].waitFor(seconds: 180) {
            let c = nodes[0].callCounts()
            return c["done"] == files * rows && c.count == 1
        }
        #expect(finished, "\(nodes[0].callCounts())\n\(nodes[0].logText().suffix(3000))\n\(nodes[1].logText().suffix(3000))")
        let batches = try #require(try nodes[0].bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == files, "every file imported once: \(batches.count)")
        #expect(batches.allSatisfy { $0.counts["imported"] == rows }, "no half batch")
        for i in 0..<files { #expect(nodes[i % 2].exists("processed/c\(i).csv.report.json"), "c\(i).csv archived") }
        let keys = logs.flatMap(fileLines)
        #expect(Set(keys).count == keys.count, "no key twice: \(keys.count) dials, \(Set(keys).count) keys")
        #expect(keys.count == files * rows, "every call dialed once: \(keys.count)")
        #expect(nodes.contains { $0.logText().contains("error") || $0.logText().contains("warning") },
                "the outage was noticed and logged")
    }

    /// `scripts/postgres ARGS…`'s standard output, through a file: the server the script starts
    /// keeps the descriptors it inherited (a pipe would never end), and it is spawned and waited
    /// for with posix_spawn and waitpid (Foundation's Process never saw this child exit).
    static func postgres(_ args: String...) throws -> String {
        let outPath = Scratch.path("postgres-out", suffix: ".txt")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ["/bin/bash", Binary.repo.appendingPathComponent("scripts/postgres").path] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, &cArgs, environ) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }
}
