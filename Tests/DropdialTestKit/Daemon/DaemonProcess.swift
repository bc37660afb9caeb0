import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `dropdial run` as a child process in a scratch folder, with a config that watches `inbox/`.
public final class DaemonProcess {
    public let bin: Binary
    private var process: Process?
    public let log: URL

    public var inbox: URL { bin.dir.appendingPathComponent("inbox") }
    /// Environment variables added to the daemon's (the providers' secrets).
    public var environment: [String: String] = [:]
    /// How many inboxes the config watches: a start is ready once each logged "watching".
    public var inboxCount = 1
    public func path(_ rel: String) -> String { inbox.appendingPathComponent(rel).path }

    /// `topConfig` goes before the `[[inbox]]` table (top-level keys); `extraConfig` after it;
    /// `http` is the `[http]` table's body (by default any free loopback port, so tests running
    /// side by side never fight over 8080).
    public init(settleSeconds: Double = 0.3, extraConfig: String = "", topConfig: String = "",
                http: String = #"listen = "127.0.0.1:0""#) throws {
        bin = try Binary()
        log = bin.dir.appendingPathComponent("daemon.log")
        try FileManager.default.createDirectory(at: bin.dir.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        try bin.write("dropdial.toml", """
            \(topConfig)
            [http]
            \(http)
            [[inbox]]
            name = "inbox"
            path = "inbox"
            settle_seconds = \(settleSeconds)
            \(extraConfig)
            """)
    }

    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Binary.path)
        p.arguments = ["run"]
        p.currentDirectoryURL = bin.dir
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        process = p
        // Ready once the watcher is up (it logs "watching").
        // "watching" once more than before (a log without it splits into one part, not zero).
        _ = waitFor(seconds: 30) {
            ((try? String(contentsOf: self.log, encoding: .utf8))?.components(separatedBy: "watching").count ?? 1) - 1
                >= (self.starts + 1) * self.inboxCount
        }
        starts += 1
    }
    private var starts = 0

    /// SIGTERM, then wait for a clean exit; returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        guard let p = process else { return 0 }
        p.terminate()
        p.waitUntilExit()
        process = nil
        return p.terminationStatus
    }

    /// The running daemon's process id.
    public var pid: Int32? { process?.processIdentifier }

    /// The daemon's peak resident set so far (VmHWM), in MB.
    public func peakRSSMB() -> Int? {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 / 1024 }
    }

    /// kill -9: no cleanup at all.
    public func kill9() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    deinit { if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL) } }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass.
    @discardableResult
    public func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    public func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: path(rel)) }

    public func report(_ rel: String) throws -> [String: Any] {
        let data = try Data(contentsOf: inbox.appendingPathComponent(rel))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    public func listing(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(folder))) ?? []).sorted()
    }

    /// Writes `text` under a temp name in the inbox, then renames it into place.
    public func dropByRename(_ name: String, _ text: String, tempSuffix: String = ".filepart") throws {
        let temp = inbox.appendingPathComponent(name + tempSuffix)
        try Data(text.utf8).write(to: temp)
        try FileManager.default.moveItem(at: temp, to: inbox.appendingPathComponent(name))
    }

    public func logText() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// `http://HOST:PORT` once the server of the latest start logged "http listening" (waits up to `seconds`).
    public func httpBase(seconds: Double = 30) -> String? {
        var found: String?
        waitFor(seconds: seconds) {
            // The line of this start: one per start so far (a restart picks a new free port).
            let lines = self.logText().split(separator: "\n").filter { $0.contains("http listening") }
            guard lines.count >= self.starts, let line = lines.last,
                  let range = line.range(of: #"address=\S+"#, options: .regularExpression) else { return false }
            found = "http://" + line[range].dropFirst("address=".count)
            return true
        }
        return found
    }

    /// The keys of the auth matrix (SPEC §8): the first `admin`, then `viewer`, `operator`, `scoped`
    /// (admin of inbox `other` only), `revoked` (made, then revoked) and `unknown` (never made).
    public func matrixKeys() throws -> [String: String] {
        guard let admin = adminKey() else { throw KeysError.noAdminKey(logText()) }
        var keys = ["admin": admin]
        for (name, args) in [("viewer", ["--role", "viewer"]), ("operator", ["--role", "operator"]),
                             ("scoped", ["--role", "admin", "--inbox", "other"]), ("revoked", ["--role", "admin"])] {
            let made = try bin.run(["keys", "create", name] + args)
            guard made.status == 0 else { throw KeysError.create(made.stderr) }
            keys[name] = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let revoked = try bin.run("keys", "revoke", "revoked")
        guard revoked.status == 0 else { throw KeysError.create(revoked.stderr) }
        keys["unknown"] = "dd_" + String(repeating: "A", count: 43)
        return keys
    }

    public enum KeysError: Error {
        case noAdminKey(String)
        case create(String)
    }

    /// The first start's admin key, as the daemon printed it once on stderr.
    public func adminKey() -> String? {
        let text = logText()
        guard let line = text.split(separator: "\n").first(where: { $0.contains("created the first API key") }),
              let range = line.range(of: #"dd_[A-Za-z0-9_-]{43}"#, options: .regularExpression) else { return nil }
        return String(line[range])
    }
}

extension DaemonProcess {
    /// A daemon whose inbox may call at any hour (2 retries, 60 minutes apart), dialing through
    /// an exec script with `body` (its `$1` is `log`); `dialer` adds `[dialer]` keys. The script
    /// runs as `/bin/sh FILE`: exec'ing a file just written can fail with ETXTBSY under parallel forks.
    /// `sharedInbox` adds a second inbox, named `shared`, watching that folder (as other nodes may).
    public static func dialing(log: String, script body: String, dialer: String = "", timeoutSeconds: Int = 120,
                        topConfig: String = "", http: String = #"listen = "127.0.0.1:0""#,
                        sharedInbox: String? = nil) throws -> DaemonProcess {
        let script = Scratch.path("dial", suffix: ".sh")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
        let anyHour = """
            calling_window = { start = "00:00", end = "24:00" }
            allowed_days = [0, 1, 2, 3, 4, 5, 6]
            calling_hours_guard = false
            retry = { count = 2, interval_minutes = 60 }
            """
        let shared = sharedInbox.map { """
            [[inbox]]
            name = "shared"
            path = "\($0)"
            settle_seconds = 0.3
            \(anyHour)
            """ } ?? ""
        let daemon = try DaemonProcess(extraConfig: """
            \(anyHour)
            \(shared)
            [dialer]
            backend = "exec"
            \(dialer)
            [dialer.exec]
            command = ["/bin/sh", "\(script)", "\(log)"]
            timeout_seconds = \(timeoutSeconds)
            """, topConfig: topConfig, http: http)
        if sharedInbox != nil { daemon.inboxCount = 2 }
        return daemon
    }
}

/// The lines of a text file (a dial log), none when it does not exist yet.
public func fileLines(_ path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}

extension DaemonProcess {
    /// Calls by status over every batch, as `dropdial batches --json` counts them.
    public func callCounts() -> [String: Int] {
        guard let batches = try? bin.run("batches", "--json").json() as? [[String: Any]] else { return [:] }
        var total: [String: Int] = [:]
        for b in batches { for (k, v) in b["calls"] as? [String: Int] ?? [:] { total[k, default: 0] += v } }
        return total
    }
}

/// A small valid contact file with `n` rows whose numbers start at `base`.
public func contactsCSV(rows n: Int, base: Int = 0) -> String {
    var text = "phone_number,name\n"
    for i in 0..<n { text += "+1415555\(String(format: "%04d", (base + i) % 10000)),Name \(i)\n" }
    return text
}
