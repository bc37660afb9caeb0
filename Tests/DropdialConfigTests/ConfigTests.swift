import DropdialTestKit
import DropdialConfig
import Foundation
import Testing

@Suite struct ConfigTests {
    @Test func defaultsMatchTheSpec() throws {
        let c = try DropdialConfig.parse("")
        #expect(c.database == "dropdial.sqlite")
        #expect(c.inboxes.count == 1)
        let s = try #require(c.inboxes.first).settings
        #expect(c.inboxes[0].path == "inbox")
        #expect(s.region == "US")
        #expect(s.timezone == "America/New_York")
        #expect(s.callingWindow.start.description == "09:00")
        #expect(s.callingWindow.end.description == "17:00")
        #expect(s.allowedDays == [1, 2, 3, 4, 5])
        #expect(s.retry == RetryPolicy(count: 3, intervalMinutes: 60))
        #expect(s.invalidRows == .skip)
        #expect(s.callingHoursGuard)
    }

    @Test func inboxSettingsDecode() throws {
        let c = try DropdialConfig.parse("""
            database = "x.sqlite"
            [[inbox]]
            name = "uk"
            path = "drops/uk"
            region = "GB"
            timezone = "Europe/London"
            invalid_rows = "reject"
            required_variables = ["account_id"]
            calling_window = { start = "10:00", end = "18:30" }
            allowed_days = [1, 2, 3, 4, 5, 6]
            retry = { count = 2, interval_minutes = 15 }
            smart_callback = { max_attempts = 4, gaps = [{ days = 1 }, { hours = 6 }] }
            holidays = ["2026-12-25"]
            calling_hours_guard = false
            [[inbox]]
            path = "drops/us"
            """)
        #expect(c.database == "x.sqlite")
        #expect(c.inboxes.map(\.name) == ["uk", "us"])
        let s = c.inboxes[0].settings
        #expect(s.region == "GB")
        #expect(s.invalidRows == .reject)
        #expect(s.requiredVariables == ["account_id"])
        #expect(s.callingWindow.end.minutes == 18 * 60 + 30)
        #expect(s.retry == RetryPolicy(count: 2, intervalMinutes: 15))
        #expect(s.smartCallbackConfig == SmartCallbackConfig(
            enabled: true, maxAttempts: 4, gaps: [CallbackGap(days: 1, hours: 0), CallbackGap(days: 0, hours: 6)]))
        #expect(s.callingHoursGuard == false)
        #expect(c.inboxes[1].settings.region == "US")
    }

    /// A bad config names the key that is wrong.
    @Test(arguments: [
        ("[[inbox]]\ntimezone = \"Mars/Olympus\"", "inbox[0].timezone"),
        ("[[inbox]]\ncalling_window = { start = \"9\", end = \"17:00\" }", "inbox[0].calling_window.start"),
        ("[[inbox]]\ncalling_window = { start = \"18:00\", end = \"17:00\" }", "inbox[0].calling_window"),
        ("[[inbox]]\nallowed_days = [1, 9]", "inbox[0].allowed_days"),
        ("[[inbox]]\ninvalid_rows = \"maybe\"", "inbox[0].invalid_rows"),
        ("[[inbox]]\nregion = \"usa\"", "inbox[0].region"),
        ("[[inbox]]\nretry = { count = \"3\", interval_minutes = 5 }", "inbox[0].retry.count"),
        ("[[inbox]]\nholidays = [\"12/25/2026\"]", "inbox[0].holidays"),
        ("[[inbox]]\ntimezne = \"UTC\"", "inbox[0].timezne"),
        ("[[inbox]]\nname = \"a\"\n[[inbox]]\nname = \"a\"", "inbox[1].name"),
        ("[dialer]\nbackend = \"carrier-pigeon\"", "dialer.backend"),
        ("[dialer]\nretried_outcomes = [\"maybe\"]", "dialer.retried_outcomes"),
        ("[dialer]\nbackend = \"exec\"", "dialer.exec.command"),
        ("[dialer.simulate]\noutcome = \"hung_up\"", "dialer.simulate.outcome"),
        // Issue 11 cases 10 and 12: numbers at their limits are refused with the key.
        ("[[inbox]]\nmax_file_mb = 9223372036854775807", "inbox[0].max_file_mb"),
        ("[[inbox]]\nmax_file_mb = 1048577", "inbox[0].max_file_mb"),
        ("[[inbox]]\nmax_file_mb = 0", "inbox[0].max_file_mb"),
        ("[dialer]\nstop_timeout_seconds = -1", "dialer.stop_timeout_seconds"),
        ("[dialer]\nstop_timeout_seconds = nan", "dialer.stop_timeout_seconds"),
        ("[dialer]\nstop_timeout_seconds = 3601", "dialer.stop_timeout_seconds"),
        ("[dialer.exec]\ncommand = [\"/bin/dial\"]\ntimeout_seconds = 0", "dialer.exec.timeout_seconds"),
        ("[dialer.http]\nurl = \"http://x\"\ntimeout_seconds = inf", "dialer.http.timeout_seconds"),
        ("[dialer.http]\nurl = \"http://x\"\npoll_interval_seconds = 0", "dialer.http.poll_interval_seconds"),
    ])
    func badKeysAreNamed(toml: String, key: String) {
        do {
            _ = try DropdialConfig.parse(toml)
            Issue.record("accepted a bad config")
        } catch {
            #expect(error.key == key, "\(error)")
        }
    }

    @Test func dialerSettingsDecode() throws {
        let c = try DropdialConfig.parse("""
            [dialer]
            backend = "exec"
            max_concurrent_per_batch = 3
            [dialer.exec]
            command = ["/bin/dial", "-v"]
            timeout_seconds = 9
            [dialer.simulate]
            outcome = "busy"
            weights = { completed = 1, busy = 0.5 }
            """)
        #expect(c.dialer.backend == .exec)
        #expect(c.dialer.maxConcurrentPerBatch == 3)
        #expect(c.dialer.maxConcurrentPerNumber == 1)
        #expect(c.dialer.exec == DialerConfig.Exec(command: ["/bin/dial", "-v"], timeoutSeconds: 9))
        #expect(c.dialer.simulate.outcome == "busy")
        #expect(c.dialer.simulate.weights == ["completed": 1, "busy": 0.5], "integers are accepted where floats go")
        #expect(try DropdialConfig.parse("").dialer.backend == .simulate)
    }

    /// The byte limit of `max_file_mb` never wraps: the largest accepted value is 1 TiB, and a
    /// value set in code saturates.
    @Test func maxFileBytesNeverOverflows() {
        #expect(InboxConfig(maxFileMB: 512).maxFileBytes == 512 << 20)
        #expect(InboxConfig(maxFileMB: InboxConfig.maxFileMBLimit).maxFileBytes == 1 << 40)
        #expect(InboxConfig(maxFileMB: .max).maxFileBytes == .max)
        #expect(InboxConfig(maxFileMB: .min).maxFileBytes == 0)
        #expect(InboxConfig(maxFileMB: -1).maxFileBytes == 0)
    }

    @Test func stopTimeoutDecodes() throws {
        #expect(try DropdialConfig.parse("").dialer.stopTimeoutSeconds == 30)
        #expect(try DropdialConfig.parse("[dialer]\nstop_timeout_seconds = 0").dialer.stopTimeoutSeconds == 0)
        #expect(try DropdialConfig.parse("[dialer]\nstop_timeout_seconds = 2.5").dialer.stopTimeoutSeconds == 2.5)
    }

    @Test func syntaxErrorGivesALine() {
        #expect(throws: ConfigError.self) { try DropdialConfig.parse("[[inbox]\n") }
    }
}

@Suite struct ExampleConfigTests {
    /// The committed example documents every key and must itself be a valid config.
    @Test func exampleConfigParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("dropdial.example.toml").path
        let config = try DropdialConfig.load(path: path)
        #expect(config.inboxes.map(\.path) == ["inbox"])
        #expect(config.inboxes[0].settleSeconds == 1)
    }
}

/// `[dnc]` and the inbox's `dnc_on_decline`.
@Suite struct DNCConfigTests {
    @Test func keysAreDecodedWithTheirDefaults() throws {
        let defaults = try DropdialConfig.parse("")
        #expect(defaults.dnc == DNCConfig(files: [], region: nil, checkSeconds: 2))
        #expect(defaults.dncRegion == "US")
        #expect(defaults.inboxes[0].settings.dncOnDecline == nil)
        let set = try DropdialConfig.parse("""
            [[inbox]]
            region = "GB"
            dnc_on_decline = true
            [dnc]
            files = ["dnc.csv", "/srv/national.txt"]
            check_seconds = 5
            """)
        #expect(set.dnc == DNCConfig(files: ["dnc.csv", "/srv/national.txt"], region: nil, checkSeconds: 5))
        #expect(set.dncRegion == "GB", "the first inbox's region unless [dnc] names one")
        #expect(set.inboxes[0].settings.dncOnDecline == true)
        #expect(try DropdialConfig.parse("[dnc]\nregion = \"CA\"").dncRegion == "CA")
    }

    @Test func badValuesNameTheKey() {
        #expect(throws: ConfigError.self) { try DropdialConfig.parse("[dnc]\nfile = [\"x\"]") }
        do {
            _ = try DropdialConfig.parse("[dnc]\nregion = \"usa\"")
            Issue.record("a bad region must be refused")
        } catch {
            #expect(error.key == "dnc.region")
        }
    }
}
