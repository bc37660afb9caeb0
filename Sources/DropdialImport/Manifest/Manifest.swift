import DropdialConfig
import Foundation

/// The optional per-file manifest `NAME.batch.json` (SPEC §3): overrides the inbox defaults
/// with the seeds' fields. Every field is checked, and unknown fields are refused (typos).
public struct Manifest: Sendable, Equatable {
    public var batchName: String?
    public var scheduledAt: Date?
    public var timezone: String?
    public var callingWindow: CallingWindow?
    public var allowedDays: [Int]?
    public var retry: RetryPolicy?
    public var smartCallbackConfig: SmartCallbackConfig?
    public var holidays: [String]?
    /// The fields an HTTP upload's form also carries (SPEC §8), so an upload is a dropped file
    /// with its manifest: the agent, the caller ids, the batch type and the invalid-row policy.
    public var agentId: String?
    public var callingNumbers: [String]?
    public var batchType: BatchType?
    public var invalidRows: InvalidRowPolicy?

    public static let fields = [
        "batchName", "scheduledAt", "timezone", "callingWindow", "allowedDays", "retry",
        "smartCallbackConfig", "holidays", "agentId", "callingNumbers", "batchType", "invalidRows",
    ]

    /// A manifest problem, naming the field.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String?
        public var message: String
        public var description: String { field.map { "manifest field \"\($0)\": \(message)" } ?? "manifest: \(message)" }
    }

    /// `contacts.csv` → `contacts.batch.json` in the same folder.
    public static func path(forDataFile path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(ManifestName.forDataFile(url.lastPathComponent)).path
    }

    /// Applies the manifest to `settings`.
    public func apply(to settings: inout BatchSettings) {
        if let batchName { settings.batchName = batchName }
        if let scheduledAt { settings.scheduledAt = scheduledAt }
        if let timezone { settings.timezone = timezone }
        if let callingWindow { settings.callingWindow = callingWindow }
        if let allowedDays { settings.allowedDays = allowedDays }
        if let retry { settings.retry = retry }
        if let smartCallbackConfig { settings.smartCallbackConfig = smartCallbackConfig }
        if let holidays { settings.holidays = holidays }
        if let agentId { settings.agentId = agentId }
        if let callingNumbers { settings.callingNumbers = callingNumbers }
        if let batchType { settings.batchType = batchType }
        if let invalidRows { settings.invalidRows = invalidRows }
    }

    public init() {}

    /// Parses and validates manifest JSON.
    public init(json data: Data) throws(Invalid) {
        guard let any = try? JSONSerialization.jsonObject(with: data),
              let object = any as? [String: Any] else {
            throw Invalid(field: nil, message: "not a JSON object; write {\"batchName\": \"…\", …}")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw Invalid(field: unknown, message: "unknown field; known fields: \(Self.fields.joined(separator: ", "))")
        }
        let r = FieldReader(object: object)
        batchName = try r.string("batchName")
        if let name = batchName, let m = SettingsCheck.batchName(name) { throw Invalid(field: "batchName", message: m) }
        if let text = try r.string("scheduledAt") {
            guard let date = ScheduledAt.date(text) else {
                throw Invalid(field: "scheduledAt", message: ScheduledAt.problem(text) ?? "is not a date-time")
            }
            scheduledAt = date
        }
        timezone = try r.string("timezone")
        if let tz = timezone, let m = SettingsCheck.timezone(tz) { throw Invalid(field: "timezone", message: m) }
        if let w = try r.object("callingWindow") {
            let wr = try FieldReader(object: w, prefix: "callingWindow.", known: ["start", "end"])
            guard let s = try wr.string("start"), let e = try wr.string("end") else {
                throw Invalid(field: "callingWindow", message: "needs both \"start\" and \"end\", e.g. {\"start\":\"09:00\",\"end\":\"17:00\"}")
            }
            guard let start = LocalTime(s) else { throw Invalid(field: "callingWindow.start", message: "\"\(s)\" is not a time HH:MM") }
            guard let end = LocalTime(e) else { throw Invalid(field: "callingWindow.end", message: "\"\(e)\" is not a time HH:MM") }
            let window = CallingWindow(start: start, end: end)
            if let m = SettingsCheck.window(window) { throw Invalid(field: "callingWindow", message: m) }
            callingWindow = window
        }
        if let days = try r.intArray("allowedDays") {
            if let m = SettingsCheck.allowedDays(days) { throw Invalid(field: "allowedDays", message: m) }
            allowedDays = days
        }
        if let o = try r.object("retry") {
            let rr = try FieldReader(object: o, prefix: "retry.", known: ["count", "intervalMinutes"])
            guard let count = try rr.int("count") else { throw Invalid(field: "retry.count", message: "is required") }
            let policy = RetryPolicy(count: count, intervalMinutes: try rr.int("intervalMinutes") ?? 60)
            if let m = SettingsCheck.retry(policy) { throw Invalid(field: "retry", message: m) }
            retry = policy
        }
        if let o = try r.object("smartCallbackConfig") {
            let sr = try FieldReader(object: o, prefix: "smartCallbackConfig.", known: ["enabled", "maxAttempts", "gaps"])
            let enabled = try sr.bool("enabled") ?? true
            guard let maxAttempts = try sr.int("maxAttempts") else {
                throw Invalid(field: "smartCallbackConfig.maxAttempts", message: "is required")
            }
            var gaps: [CallbackGap] = []
            for (i, g) in (try sr.objectArray("gaps") ?? []).enumerated() {
                let gr = try FieldReader(object: g, prefix: "smartCallbackConfig.gaps[\(i)].", known: ["days", "hours"])
                gaps.append(CallbackGap(days: try gr.int("days") ?? 0, hours: try gr.int("hours") ?? 0))
            }
            let config = SmartCallbackConfig(enabled: enabled, maxAttempts: maxAttempts, gaps: gaps)
            if let m = SettingsCheck.smartCallback(config) { throw Invalid(field: "smartCallbackConfig", message: m) }
            smartCallbackConfig = config
        }
        if let days = try r.stringArray("holidays") {
            for d in days { if let m = SettingsCheck.holiday(d) { throw Invalid(field: "holidays", message: m) } }
            holidays = days
        }
        agentId = try r.string("agentId")
        if let id = agentId, id.isEmpty || id.utf8.count > 200 {
            throw Invalid(field: "agentId", message: "must be 1 to 200 characters")
        }
        if let numbers = try r.stringArray("callingNumbers") {
            if let bad = numbers.first(where: { !Self.isCallerId($0) }) {
                throw Invalid(field: "callingNumbers", message: "\"\(bad)\" is not a caller id: write a number such as \"+14155550100\" or a provider's phone-number id, at most 100 characters")
            }
            callingNumbers = numbers
        }
        batchType = try r.choice("batchType", BatchType.self)
        invalidRows = try r.choice("invalidRows", InvalidRowPolicy.self)
    }

    /// A caller id: a number or a provider's phone-number id (SPEC §9), 1 to 100 printable bytes.
    static func isCallerId(_ text: String) -> Bool {
        (1...100).contains(text.utf8.count) && text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }
}

/// Typed access to a JSON object's fields with messages that name the field.
private struct FieldReader {
    let object: [String: Any]
    var prefix = ""

    init(object: [String: Any]) { self.object = object }

    /// A nested object's reader; a key it does not know is refused, as at the top level.
    init(object: [String: Any], prefix: String, known: [String]) throws(Manifest.Invalid) {
        self.object = object
        self.prefix = prefix
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw Manifest.Invalid(field: prefix + unknown, message: "unknown field; known fields here: \(known.joined(separator: ", "))")
        }
    }

    func value(_ key: String) -> Any? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        return v
    }

    func fail(_ key: String, _ expected: String) -> Manifest.Invalid {
        Manifest.Invalid(field: prefix + key, message: "must be \(expected)")
    }

    func string(_ key: String) throws(Manifest.Invalid) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v as? String else { throw fail(key, "a string") }
        return s
    }

    func int(_ key: String) throws(Manifest.Invalid) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v as? NSNumber, !Self.isBool(n), n.doubleValue == n.doubleValue.rounded() else {
            throw fail(key, "a whole number")
        }
        guard abs(n.doubleValue) < 1e9 else {
            throw Manifest.Invalid(field: prefix + key, message: "\(n) is out of range")
        }
        return n.intValue
    }

    func bool(_ key: String) throws(Manifest.Invalid) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let n = v as? NSNumber, Self.isBool(n) else { throw fail(key, "true or false") }
        return n.boolValue
    }

    func object(_ key: String) throws(Manifest.Invalid) -> [String: Any]? {
        guard let v = value(key) else { return nil }
        guard let o = v as? [String: Any] else { throw fail(key, "an object") }
        return o
    }

    func objectArray(_ key: String) throws(Manifest.Invalid) -> [[String: Any]]? {
        guard let v = value(key) else { return nil }
        guard let a = v as? [[String: Any]] else { throw fail(key, "a list of objects") }
        return a
    }

    func intArray(_ key: String) throws(Manifest.Invalid) -> [Int]? {
        guard let v = value(key) else { return nil }
        guard let a = v as? [NSNumber], a.allSatisfy({ !Self.isBool($0) && $0.doubleValue == $0.doubleValue.rounded() })
        else { throw fail(key, "a list of whole numbers") }
        return a.map(\.intValue)
    }

    /// One of an enum's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws(Manifest.Invalid) -> T?
    where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw Manifest.Invalid(field: prefix + key, message: "must be one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        return value
    }

    func stringArray(_ key: String) throws(Manifest.Invalid) -> [String]? {
        guard let v = value(key) else { return nil }
        guard let a = v as? [String] else { throw fail(key, "a list of strings") }
        return a
    }

    static func isBool(_ n: NSNumber) -> Bool {
        // JSONSerialization hands booleans back as NSNumber of Objective-C type "c".
        String(cString: n.objCType) == "c"
    }
}
