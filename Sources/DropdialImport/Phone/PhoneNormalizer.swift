import CPhoneNumber

/// Phone cells to E.164 through libphonenumber, with the spreadsheet damage checks of SPEC §5.
struct PhoneNormalizer: Sendable {
    let region: String

    enum Failure: Error, Equatable {
        case missing
        case lostDigits
        case invalid
    }

    /// Normalizes one cell: trims, strips one leading `'`, detects `4.15555E+09`, then validates.
    func normalize(_ cell: String) throws(Failure) -> String {
        var text = cell.trimmingWhitespace
        if text.first == "'" { text = text.dropFirst().trimmingWhitespace }
        if text.isEmpty { throw .missing }
        // libphonenumber refuses input over 250 bytes (kMaxInputStringLength) after scanning it
        // with regexes; refusing it here keeps a 1 MB cell from costing a third of a second.
        if text.utf8.count > Self.maxInputBytes { throw .invalid }
        if Self.isScientificNotation(text) { throw .lostDigits }
        // A stack buffer for the E.164 text (at most 16 bytes); no per-number heap array.
        return try withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { out throws(Failure) -> String in
            let status = text.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    dd_phone_normalize(chars.baseAddress, chars.count, region, out.baseAddress, out.count)
                }
            } ?? String(text).withCString { dd_phone_normalize($0, strlen($0), region, out.baseAddress, out.count) }
            guard status == DD_PHONE_OK else { throw .invalid }
            return String(cString: out.baseAddress!)
        }
    }

    /// The shim's raw answer for `text`: status and E.164 text, through the fast path or (with
    /// `reference`) libphonenumber alone. For the differential tests.
    static func raw(_ text: String, region: String, reference: Bool) -> (status: UInt32, e164: String) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { out in
            let status = text.withCString { p in
                reference ? dd_phone_normalize_reference(p, strlen(p), region, out.baseAddress, out.count)
                          : dd_phone_normalize(p, strlen(p), region, out.baseAddress, out.count)
            }
            return (status.rawValue, status == DD_PHONE_OK ? String(cString: out.baseAddress!) : "")
        }
    }

    /// libphonenumber's own input limit (`kMaxInputStringLength`).
    static let maxInputBytes = 250

    static var fastPathReady: Bool { dd_phone_fast_path_ready() == 1 }

    /// `4.15555E+09`, `4,15555E+09`, `1E10`: a spreadsheet showed a long number in scientific notation.
    static func isScientificNotation(_ text: Substring) -> Bool {
        var sawDigit = false, sawE = false, digitsAfterE = false
        var i = text.utf8.startIndex
        let u = text.utf8
        if i < u.endIndex, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i = u.index(after: i) }
        while i < u.endIndex {
            let c = u[i]
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawE { digitsAfterE = true } else { sawDigit = true }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                if sawE { return false }
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if sawE || !sawDigit { return false }
                sawE = true
                let next = u.index(after: i)
                if next < u.endIndex, u[next] == UInt8(ascii: "+") { i = next }
            default:
                return false
            }
            i = u.index(after: i)
        }
        return sawE && digitsAfterE
    }

    /// True when a header cell holds something that parses as a phone number (a data row, not a header).
    static func looksLikePhoneNumber(_ cell: String) -> Bool {
        let digits = cell.filter(\.isNumber).count
        return digits >= 7 && cell.allSatisfy { $0.isNumber || " +-().'".contains($0) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
