#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// BIFF text to UTF-8. BIFF8 stores characters as one byte (Latin-1, "compressed") or UTF-16LE;
/// BIFF5 stores bytes in the workbook's CODEPAGE, converted with iconv.
enum BIFFText {
    /// Appends `count` characters at `from` (one or two bytes each) as UTF-8.
    @inline(__always)
    static func append(_ bytes: [UInt8], from: Int, count: Int, wide: Bool, to text: inout [UInt8]) {
        if !wide {
            for i in from..<(from + count) {
                let c = bytes[i]
                if c < 0x80 {
                    text.append(c)
                } else {
                    text.append(0xC0 | c >> 6)
                    text.append(0x80 | c & 0x3F)
                }
            }
            return
        }
        var i = from
        let end = from + 2 * count
        while i < end {
            let unit = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
            i += 2
            var scalar = unit
            if unit >= 0xD800 && unit < 0xDC00, i < end {
                let low = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
                if low >= 0xDC00 && low < 0xE000 {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    i += 2
                } else {
                    scalar = 0xFFFD
                }
            } else if unit >= 0xD800 && unit < 0xE000 {
                scalar = 0xFFFD
            }
            appendScalar(scalar, to: &text)
        }
    }

    @inline(__always)
    static func appendScalar(_ s: UInt32, to text: inout [UInt8]) {
        switch s {
        case ..<0x80:
            text.append(UInt8(s))
        case ..<0x800:
            text.append(UInt8(0xC0 | s >> 6)); text.append(UInt8(0x80 | s & 0x3F))
        case ..<0x10000:
            text.append(UInt8(0xE0 | s >> 12)); text.append(UInt8(0x80 | s >> 6 & 0x3F))
            text.append(UInt8(0x80 | s & 0x3F))
        default:
            text.append(UInt8(0xF0 | s >> 18)); text.append(UInt8(0x80 | s >> 12 & 0x3F))
            text.append(UInt8(0x80 | s >> 6 & 0x3F)); text.append(UInt8(0x80 | s & 0x3F))
        }
    }
}

/// A BIFF5 workbook's code page ([MS-XLS] 2.4.52 CodePage) as an iconv converter to UTF-8.
/// Each string is converted and then flushed, so a converter that holds a character back to see
/// whether a combining mark follows (CP1258, Vietnamese) gives it up at the string's end.
final class CodepageDecoder {
    let codepage: Int
    private let converter: iconv_t?

    init(codepage: Int) throws(ReaderError) {
        self.codepage = codepage
        let name = Self.iconvName(codepage)
        let cd = iconv_open("UTF-8", name)
        guard let cd, cd != iconv_t(bitPattern: -1) else {
            throw .corrupt("the workbook's text is in code page \(codepage), which this system cannot convert")
        }
        converter = cd
    }

    deinit { if let converter { iconv_close(converter) } }

    static func iconvName(_ codepage: Int) -> String {
        switch codepage {
        case 367: "ASCII"
        case 1200: "UTF-16LE"
        case 10000, 32768: "MACINTOSH"
        case 32769, 0: "CP1252"
        case 65001: "UTF-8"
        default: "CP\(codepage)"
        }
    }

    /// Appends the UTF-8 for `count` bytes at `from`. Bytes the code page does not define become
    /// U+FFFD.
    func append(_ bytes: [UInt8], from: Int, count: Int, to text: inout [UInt8]) {
        var ascii = true
        for i in from..<(from + count) where bytes[i] >= 0x80 { ascii = false; break }
        if ascii {
            text.append(contentsOf: bytes[from..<(from + count)])
            return
        }
        var input = Array(bytes[from..<(from + count)])
        var output = [UInt8](repeating: 0, count: 4 * count + 16)
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                while inLeft > 0 {
                    if iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                        guard errno == EILSEQ || errno == EINVAL, outLeft >= 3 else { break }
                        // An undefined byte: U+FFFD, then carry on after it.
                        outPtr![0] = CChar(bitPattern: 0xEF); outPtr![1] = CChar(bitPattern: 0xBF)
                        outPtr![2] = CChar(bitPattern: 0xBD)
                        outPtr = outPtr! + 3; outLeft -= 3
                        inPtr = inPtr! + 1; inLeft -= 1
                    }
                }
                _ = iconv(converter, nil, nil, &outPtr, &outLeft)  // flush a held-back character
                produced = outBuf.count - outLeft
            }
        }
        text.append(contentsOf: output[0..<produced])
    }
}
