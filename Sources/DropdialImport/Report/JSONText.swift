/// A minimal JSON object writer for the hot path (variables per call), escaping per RFC 8259.
struct JSONText {
    private(set) var text = ""
    private var first = true

    mutating func beginObject() {
        text.append("{")
        first = true
    }

    mutating func endObject() { text.append("}") }

    mutating func member(_ key: String, _ value: String) {
        if !first { text.append(",") }
        first = false
        appendString(key)
        text.append(":")
        appendString(value)
    }

    private mutating func appendString(_ s: String) {
        JSONEscape.appendString(s, to: &text)
    }
}

/// JSON string literals, escaped per RFC 8259; non-ASCII text stays UTF-8.
public enum JSONEscape {
    public static func appendString(_ s: String, to text: inout String) {
        text.append("\"")
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text.append(s)
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": text.append("\\\"")
                case "\\": text.append("\\\\")
                case "\n": text.append("\\n")
                case "\r": text.append("\\r")
                case "\t": text.append("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text.append("\"")
    }
}
