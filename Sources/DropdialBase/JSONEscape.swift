/// JSON string literals, escaped per RFC 8259; non-ASCII text stays UTF-8. The one escaper of
/// the hand-written encoders kept for speed or memory (reports, variables, `inspect`, `simulate`).
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
                // As Foundation's encoder writes them, so hand-written JSON matches its bytes.
                case "\u{8}": text.append("\\b")
                case "\u{c}": text.append("\\f")
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
