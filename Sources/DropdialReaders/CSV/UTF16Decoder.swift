/// A streaming UTF-16 (LE or BE) to UTF-8 converter. It carries an odd byte and a pending high
/// surrogate across chunks, so a character split between two reads comes out whole.
struct UTF16Decoder {
    let bigEndian: Bool
    private var carryByte: UInt8? = nil
    private var highSurrogate: UInt16? = nil

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
    }

    /// Room `decode` needs in `output` for `count` input bytes.
    static func outputCapacity(forInput count: Int) -> Int { count * 2 + 8 }

    /// Converts `count` bytes; returns the UTF-8 bytes written. Unpaired surrogates become U+FFFD.
    mutating func decode(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var out = 0
        var i = 0
        if let first = carryByte, count > 0 {
            carryByte = nil
            out &+= emit(unit(first, input[0]), to: output + out)
            i = 1
        }
        while i &+ 1 < count {
            out &+= emit(unit(input[i], input[i &+ 1]), to: output + out)
            i &+= 2
        }
        if i < count { carryByte = input[i] }
        return out
    }

    /// Flushes what is left at end of file: a lone byte or an unpaired high surrogate is U+FFFD.
    mutating func finish(into output: UnsafeMutablePointer<UInt8>) -> Int {
        var out = 0
        if highSurrogate != nil {
            highSurrogate = nil
            out &+= UTF8Writer.write(UTF8Writer.replacement, to: output + out)
        }
        if carryByte != nil {
            carryByte = nil
            out &+= UTF8Writer.write(UTF8Writer.replacement, to: output + out)
        }
        return out
    }

    @inline(__always)
    private func unit(_ a: UInt8, _ b: UInt8) -> UInt16 {
        bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a)
    }

    /// Writes the UTF-8 for one code unit, pairing surrogates; returns the bytes written.
    @inline(__always)
    private mutating func emit(_ unit: UInt16, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var out = 0
        if let high = highSurrogate {
            highSurrogate = nil
            if unit >= 0xDC00 && unit <= 0xDFFF {
                let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                return UTF8Writer.write(scalar, to: output)
            }
            out = UTF8Writer.write(UTF8Writer.replacement, to: output)
        }
        switch unit {
        case 0xD800...0xDBFF:
            highSurrogate = unit
            return out
        case 0xDC00...0xDFFF:
            return out + UTF8Writer.write(UTF8Writer.replacement, to: output + out)
        default:
            return out + UTF8Writer.write(UInt32(unit), to: output + out)
        }
    }
}
