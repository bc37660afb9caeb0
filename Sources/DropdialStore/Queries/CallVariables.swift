import Foundation

/// A call's variables as stored (a JSON object) read back as text values, the one way every
/// reader does it: a value that is not a string (written by hand, or by an older version) is
/// kept as its text, never dropped with the rest.
public enum CallVariables {
    public static func decode(_ json: String) -> [String: String] {
        if let flat = flatStrings(json) { return flat }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        return object.mapValues(text)
    }

    /// The common case read by hand: an object whose values are all strings, escapes included
    /// (what the import writes). Anything else is nil and goes to JSONSerialization; a page of
    /// batch-details spent a sixth of its time there.
    static func flatStrings(_ json: String) -> [String: String]? {
        var json = json
        return json.withUTF8 { b -> [String: String]? in
            var i = 0
            func skipSpace() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }
            func string() -> String? {
                guard i < b.count, b[i] == 0x22 else { return nil }
                i += 1
                let start = i
                while i < b.count, b[i] != 0x22, b[i] != 0x5C { i += 1 }
                guard i < b.count else { return nil }
                if b[i] == 0x22 {
                    defer { i += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                }
                return nil  // an escape: the slow path decodes it
            }
            skipSpace()
            guard i < b.count, b[i] == 0x7B else { return nil }
            i += 1
            var out: [String: String] = [:]
            skipSpace()
            if i < b.count, b[i] == 0x7D { i += 1; skipSpace(); return i == b.count ? out : nil }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard i < b.count, b[i] == 0x3A else { return nil }
                i += 1
                skipSpace()
                guard let value = string(), out[key] == nil else { return nil }
                out[key] = value
                skipSpace()
                guard i < b.count else { return nil }
                if b[i] == 0x2C { i += 1; continue }
                guard b[i] == 0x7D else { return nil }
                i += 1
                skipSpace()
                return i == b.count ? out : nil
            }
        }
    }

    /// As `add-calls` writes a JSON value as a cell: booleans `true`/`false`, `null` empty, numbers
    /// as written, nested values as JSON.
    static func text(_ value: Any) -> String {
        switch value {
        case let s as String: return s
        case is NSNull: return ""
        case let n as NSNumber where String(cString: n.objCType) == "c": return n.boolValue ? "true" : "false"
        case let n as NSNumber: return n.stringValue
        default:
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "\(value)" }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
