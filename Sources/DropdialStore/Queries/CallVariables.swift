import Foundation

/// A call's variables as stored (a JSON object) read back as text values, the one way every
/// reader does it: a value that is not a string (written by hand, or by an older version) is
/// kept as its text, never dropped with the rest.
public enum CallVariables {
    public static func decode(_ json: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        return object.mapValues(text)
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
