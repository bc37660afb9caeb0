import DropdialBase
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

/// A JSON object writer on bytes for the per-row variables: one buffer, one `String` at the end.
/// Output is byte-identical to `JSONText` (same escapes; Swift strings are valid UTF-8, so
/// non-ASCII text is copied as is).
struct JSONBytes {
    private(set) var bytes: [UInt8] = []
    private var first = true

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    /// A member whose key is already encoded as `"key":` (see `encodedKey`).
    mutating func member(encodedKey: [UInt8], _ value: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(contentsOf: encodedKey)
        Self.appendString(value, to: &bytes)
    }

    mutating func member(_ key: String, _ value: String) {
        member(encodedKey: Self.encodedKey(key), value)
    }

    /// `"key":` with the key escaped.
    static func encodedKey(_ key: String) -> [UInt8] {
        var out: [UInt8] = []
        appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        return out
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var clean = 0  // start of the run not yet copied
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<i]))
                clean = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hex[Int(b >> 4)], hex[Int(b & 15)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
