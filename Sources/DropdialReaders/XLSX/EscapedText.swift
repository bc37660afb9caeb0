/// OOXML `ST_Xstring` escapes: a character XML cannot carry is written as `_xHHHH_` (its UTF-16
/// code unit in hex), and a literal `_x` that would look like one is protected as `_x005F_`.
enum EscapedText {
    /// Appends `raw` to `out`, decoding `_xHHHH_` escapes (surrogate pairs joined, lone
    /// surrogates become U+FFFD). Text without `_` is copied as is.
    static func appendDecoded<C: Collection<UInt8>>(_ raw: C, to out: inout [UInt8]) where C.Index == Int {
        guard raw.contains(UInt8(ascii: "_")) else {
            out.append(contentsOf: raw)
            return
        }
        var i = raw.startIndex
        let end = raw.endIndex
        var pendingHigh: UInt32?
        func flushHigh() {
            if pendingHigh != nil { appendScalar(0xFFFD, to: &out); pendingHigh = nil }
        }
        while i < end {
            if raw[i] == UInt8(ascii: "_"), i + 6 < end, raw[i + 1] == UInt8(ascii: "x"), raw[i + 6] == UInt8(ascii: "_"),
               let unit = hex4(raw, i + 2) {
                i += 7
                if (0xD800...0xDBFF).contains(unit) {
                    flushHigh()
                    pendingHigh = unit
                } else if (0xDC00...0xDFFF).contains(unit) {
                    if let high = pendingHigh {
                        appendScalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00), to: &out)
                        pendingHigh = nil
                    } else {
                        appendScalar(0xFFFD, to: &out)
                    }
                } else {
                    flushHigh()
                    appendScalar(unit, to: &out)
                }
                continue
            }
            flushHigh()
            out.append(raw[i])
            i += 1
        }
        flushHigh()
    }

    private static func hex4<C: Collection<UInt8>>(_ b: C, _ at: Int) -> UInt32? where C.Index == Int {
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let c = b[k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    private static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(v) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); return }
        out.append(contentsOf: UTF8.encode(scalar)!)
    }
}
