#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming UTF-8 validator (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
/// Fed chunk by chunk, so a sequence split across two reads is judged as one; it also notes NUL bytes.
struct UTF8Validator {
    /// False once any invalid sequence was seen; never becomes true again.
    private(set) var isValid = true
    /// True once a 0x00 byte was seen (binary data, or UTF-16 without a BOM).
    private(set) var sawNUL = false
    /// Continuation bytes still expected by the current sequence.
    private var need = 0
    /// Allowed range for the next continuation byte (narrower right after E0, ED, F0, F4).
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    /// True when everything fed so far is valid UTF-8 and no sequence is left open.
    var isCompleteAndValid: Bool { isValid && need == 0 }

    mutating func consume(_ base: UnsafePointer<UInt8>, count: Int) {
        var i = 0
        while i < count {
            if !isValid {
                // Only the NUL check is still useful; let memchr do it.
                if memchr(base + i, 0, count - i) != nil { sawNUL = true }
                return
            }
            if need == 0 {
                // ASCII without NUL, eight bytes at a time.
                while i &+ 8 <= count {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 || SWAR.hasZeroByte(word) { break }
                    i &+= 8
                }
                if i >= count { return }
                let byte = base[i]
                i &+= 1
                if byte < 0x80 {
                    if byte == 0 { sawNUL = true }
                    continue
                }
                switch byte {
                case 0xC2...0xDF: need = 1; low = 0x80; high = 0xBF
                case 0xE0: need = 2; low = 0xA0; high = 0xBF
                case 0xE1...0xEC, 0xEE, 0xEF: need = 2; low = 0x80; high = 0xBF
                case 0xED: need = 2; low = 0x80; high = 0x9F
                case 0xF0: need = 3; low = 0x90; high = 0xBF
                case 0xF1...0xF3: need = 3; low = 0x80; high = 0xBF
                case 0xF4: need = 3; low = 0x80; high = 0x8F
                default: isValid = false
                }
            } else {
                let byte = base[i]
                i &+= 1
                if byte < low || byte > high {
                    isValid = false
                    need = 0
                } else {
                    need -= 1
                    low = 0x80
                    high = 0xBF
                }
            }
        }
    }
}

/// Bit tricks that test eight bytes of a word at once.
enum SWAR {
    /// True when any byte of `word` is 0x00 (exact, no false positives for the yes/no answer).
    @inline(__always)
    static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// `byte` repeated in all eight lanes of a word.
    @inline(__always)
    static func broadcast(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }
}
