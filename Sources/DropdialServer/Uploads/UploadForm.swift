import DropdialConfig
import DropdialImport
import Foundation

/// The text fields of an upload (SPEC §8, seeds 000 and 003), turned into the file's manifest
/// (SPEC §3): an upload is a dropped file with its `NAME.batch.json`. Every problem names the
/// form field as the client sent it.
struct UploadForm {
    /// The fields `POST /api/call/upload-csv` takes besides `file`.
    static let uploadFields: Set<String> = [
        "inbox", "batchName", "agentId", "callingNumbers", "batchType", "type", "retry", "delay", "timezone",
        "callingHour", "allowedDays", "scheduledAt", "smartCallbackConfig", "holidays",
    ]
    /// The fields of seed 003's `POST /v1/api/batch-calls` besides `file`.
    static let batchCallFields: Set<String> = ["inbox", "agentId", "scheduledAt", "smartCallbackConfig"]

    /// The manifest JSON and what it parsed to.
    var manifestJSON: Data
    var manifest: Manifest

    init(fields: [String: String], known: Set<String>, defaults: BatchSettings) throws(APIError) {
        if let stranger = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw Self.bad(stranger, "unknown field; known: file, \(known.sorted().joined(separator: ", "))")
        }
        var object: [String: Any] = [:]
        for name in ["batchName", "agentId", "batchType", "timezone", "scheduledAt"] {
            if let text = fields[name] { object[name] = text }
        }
        for (field, key) in [("callingNumbers", "callingNumbers"), ("callingHour", "callingWindow"),
                             ("allowedDays", "allowedDays"), ("smartCallbackConfig", "smartCallbackConfig"),
                             ("holidays", "holidays")] {
            if let text = fields[field] { object[key] = try Self.json(field, text) }
        }
        if let type = fields["type"] {
            switch type.lowercased() {
            case "true": object["invalidRows"] = InvalidRowPolicy.skip.rawValue
            case "false": object["invalidRows"] = InvalidRowPolicy.reject.rawValue
            default: throw Self.bad("type", "must be \"true\" (skip invalid rows) or \"false\" (reject the file), not \"\(type)\"")
            }
        }
        if fields["retry"] != nil || fields["delay"] != nil {
            object["retry"] = ["count": try Self.whole("retry", fields["retry"]) ?? defaults.retry.count,
                               "intervalMinutes": try Self.whole("delay", fields["delay"]) ?? defaults.retry.intervalMinutes]
        }
        do {
            manifestJSON = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        } catch {
            throw APIError.badRequest(code: "invalid_field", "the fields cannot be written as a manifest: \(error)")
        }
        do {
            manifest = try Manifest(json: manifestJSON)
        } catch {
            throw Self.bad(Self.formField(error.field), error.message)
        }
    }

    static func bad(_ field: String, _ message: String) -> APIError {
        APIError.badRequest(code: "invalid_field", "\(field): \(message)")
    }

    /// A field sent as JSON text (`callingNumbers`, `callingHour`, …).
    static func json(_ field: String, _ text: String) throws(APIError) -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              value is [Any] || value is [String: Any] else {
            throw bad(field, "is not JSON; send e.g. \(examples[field] ?? "[…]")")
        }
        return value
    }

    static let examples = [
        "callingNumbers": #"["+14155550100"]"#, "callingHour": #"{"start":"09:00","end":"17:00"}"#,
        "allowedDays": "[1,2,3,4,5]", "holidays": #"["2026-12-25"]"#,
        "smartCallbackConfig": #"{"enabled":true,"maxAttempts":3,"gaps":[{"days":0,"hours":4}]}"#,
    ]

    static func whole(_ field: String, _ text: String?) throws(APIError) -> Int? {
        guard let text else { return nil }
        guard let n = Int(text.trimmingWhitespace()) else { throw bad(field, "must be a whole number, not \"\(text)\"") }
        return n
    }

    /// The form field a manifest field came from.
    static func formField(_ manifestField: String?) -> String {
        guard let f = manifestField else { return "fields" }
        if f.hasPrefix("callingWindow") { return "callingHour" + f.dropFirst("callingWindow".count) }
        switch f {
        case "retry.count": return "retry"
        case "retry.intervalMinutes": return "delay"
        case "retry": return "retry/delay"
        case "invalidRows": return "type"
        default: return f
        }
    }
}
