/// Converts Windows-1252 bytes to UTF-8. 0x80–0x9F go through the cp1252 table (the five undefined
/// bytes map to the C1 control of the same value, as Windows does); 0xA0–0xFF are Latin-1.
enum Windows1252Decoder {
    /// Scalars for 0x80...0x9F.
    static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Writes the UTF-8 form of `count` input bytes to `output` (room for `3 * count` bytes needed);
    /// returns the bytes written. Every byte decodes on its own, so chunk boundaries need no state.
    static func decode(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var out = 0
        high.withUnsafeBufferPointer { table in
            for i in 0..<count {
                let byte = input[i]
                if byte < 0x80 {
                    output[out] = byte
                    out &+= 1
                } else if byte >= 0xA0 {
                    output[out] = 0xC0 | (byte >> 6)
                    output[out &+ 1] = 0x80 | (byte & 0x3F)
                    out &+= 2
                } else {
                    out &+= UTF8Writer.write(UInt32(table[Int(byte &- 0x80)]), to: output + out)
                }
            }
        }
        return out
    }
}

/// Encodes one Unicode scalar value as UTF-8.
enum UTF8Writer {
    /// Writes `scalar` (assumed valid, not a surrogate) and returns its length, 1–4 bytes.
    @inline(__always)
    static func write(_ scalar: UInt32, to output: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            output[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[0] = UInt8(0xC0 | (scalar >> 6))
            output[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        case 0x800..<0x10000:
            output[0] = UInt8(0xE0 | (scalar >> 12))
            output[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            output[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        default:
            output[0] = UInt8(0xF0 | (scalar >> 18))
            output[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            output[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            output[3] = UInt8(0x80 | (scalar & 0x3F))
            return 4
        }
    }

    /// U+FFFD, written where the input held something that is not text.
    static let replacement: UInt32 = 0xFFFD
}
