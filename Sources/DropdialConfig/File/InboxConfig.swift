import Foundation

/// One `[[inbox]]`: a watched folder and the batch settings for files dropped there (SPEC §3).
public struct InboxConfig: Sendable, Hashable {
    public var name: String
    public var path: String
    public var settings: BatchSettings
    /// Seconds a file written in place must stay quiet before it is taken.
    public var settleSeconds: Double
    /// Poll instead of inotify (network and FUSE filesystems are polled anyway).
    public var poll: Bool
    /// Files larger than this many MiB are rejected (1 to `maxFileMBLimit`).
    public var maxFileMB: Int
    /// Create the inbox folder when it is missing (`create = true`); otherwise a missing folder
    /// is a configuration error, so a typo in `path` is not silently watched as a new empty folder.
    /// The built-in default inbox (no `dropdial.toml`) is created.
    public var create: Bool

    /// The largest `max_file_mb` accepted: 1 TiB.
    public static let maxFileMBLimit = 1 << 20

    /// `maxFileMB` in bytes; saturates rather than overflowing, whatever the value.
    public var maxFileBytes: Int64 {
        let (bytes, overflow) = Int64(maxFileMB).multipliedReportingOverflow(by: 1 << 20)
        return overflow ? (maxFileMB < 0 ? 0 : .max) : max(bytes, 0)
    }

    public init(name: String = "inbox", path: String = "inbox", settings: BatchSettings = BatchSettings(),
                settleSeconds: Double = 1, poll: Bool = false, maxFileMB: Int = 512, create: Bool = true) {
        self.name = name
        self.path = path
        self.settings = settings
        self.settleSeconds = settleSeconds
        self.poll = poll
        self.maxFileMB = maxFileMB
        self.create = create
    }
}

extension InboxConfig: Decodable {
    enum Key: String, CodingKey {
        case name, path, agent_id, batch_type, calling_numbers, required_variables, invalid_rows
        case region, timezone, calling_window, allowed_days, calling_hours_guard, retry, smart_callback
        case holidays, settle_seconds, poll, max_file_mb, dnc_on_decline, create
    }

    struct Window: Decodable { var start: LocalTime; var end: LocalTime }
    struct Retry: Decodable { var count: Int; var interval_minutes: Int }
    struct Gap: Decodable { var days: Int?; var hours: Int? }
    struct Smart: Decodable { var enabled: Bool?; var max_attempts: Int; var gaps: [Gap]? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let d = InboxConfig()
        var s = d.settings
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? d.path
        name = try c.decodeIfPresent(String.self, forKey: .name)
            ?? URL(fileURLWithPath: path).lastPathComponent
        s.agentId = try c.decodeIfPresent(String.self, forKey: .agent_id)
        s.batchType = try c.decodeIfPresent(BatchType.self, forKey: .batch_type) ?? s.batchType
        s.callingNumbers = try c.decodeIfPresent([String].self, forKey: .calling_numbers) ?? []
        s.requiredVariables = try c.decodeIfPresent([String].self, forKey: .required_variables) ?? []
        s.invalidRows = try c.decodeIfPresent(InvalidRowPolicy.self, forKey: .invalid_rows) ?? s.invalidRows
        s.region = try c.decodeIfPresent(String.self, forKey: .region) ?? s.region
        s.timezone = try c.decodeIfPresent(String.self, forKey: .timezone) ?? s.timezone
        if let w = try c.decodeIfPresent(Window.self, forKey: .calling_window) {
            s.callingWindow = CallingWindow(start: w.start, end: w.end)
        }
        s.allowedDays = try c.decodeIfPresent([Int].self, forKey: .allowed_days) ?? s.allowedDays
        s.callingHoursGuard = try c.decodeIfPresent(Bool.self, forKey: .calling_hours_guard) ?? true
        if let r = try c.decodeIfPresent(Retry.self, forKey: .retry) {
            s.retry = RetryPolicy(count: r.count, intervalMinutes: r.interval_minutes)
        }
        if let sc = try c.decodeIfPresent(Smart.self, forKey: .smart_callback) {
            s.smartCallbackConfig = SmartCallbackConfig(
                enabled: sc.enabled ?? true, maxAttempts: sc.max_attempts,
                gaps: (sc.gaps ?? []).map { CallbackGap(days: $0.days ?? 0, hours: $0.hours ?? 0) })
        }
        s.holidays = try c.decodeIfPresent([String].self, forKey: .holidays) ?? []
        s.dncOnDecline = try c.decodeIfPresent(Bool.self, forKey: .dnc_on_decline)
        settings = s
        settleSeconds = try c.decodeIfPresent(Number.self, forKey: .settle_seconds)?.value ?? d.settleSeconds
        poll = try c.decodeIfPresent(Bool.self, forKey: .poll) ?? d.poll
        maxFileMB = try c.decodeIfPresent(Int.self, forKey: .max_file_mb) ?? d.maxFileMB
        create = try c.decodeIfPresent(Bool.self, forKey: .create) ?? false
    }

    /// Semantic checks the decoder cannot make; returns (key, message) pairs.
    func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        let s = settings
        if let m = SettingsCheck.timezone(s.timezone) { out.append(("timezone", m)) }
        if let m = SettingsCheck.window(s.callingWindow) { out.append(("calling_window", m)) }
        if let m = SettingsCheck.allowedDays(s.allowedDays) { out.append(("allowed_days", m)) }
        if let m = SettingsCheck.retry(s.retry) { out.append(("retry", m)) }
        if let sc = s.smartCallbackConfig, let m = SettingsCheck.smartCallback(sc) { out.append(("smart_callback", m)) }
        for h in s.holidays { if let m = SettingsCheck.holiday(h) { out.append(("holidays", m)) } }
        if s.region.count != 2 || s.region.uppercased() != s.region {
            out.append(("region", "\"\(s.region)\" is not a two-letter ISO region code such as \"US\""))
        }
        if settleSeconds < 0 { out.append(("settle_seconds", "must be 0 or more")) }
        if !(1...Self.maxFileMBLimit).contains(maxFileMB) {
            out.append(("max_file_mb", "\(maxFileMB) is out of range; use 1 to \(Self.maxFileMBLimit) (MiB)"))
        }
        if path.isEmpty { out.append(("path", "must name a folder")) }
        return out
    }
}
