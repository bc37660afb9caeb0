import DropdialTestKit
@testable import DropdialImport
import Foundation
import Testing
import CPhoneNumber

/// Differential test of the NANP fast path in `dd_phone_normalize` against libphonenumber alone
/// (`dd_phone_normalize_reference`): the same status class (valid or not) and the same E.164 text
/// for every generated input. Inputs: random national numbers (every leading digit, area codes
/// weighted to real NANP ones), written in 30 spellings people and programs produce (the fast
/// path's own grammar and its near misses: extra digits, `+` without `1`, letters, extensions,
/// other punctuation, full-width digits), under NANP and non-NANP default regions.
///
/// Size: `DROPDIAL_PHONE_DIFF_COUNT` (default 20,000, a few seconds in a debug build; run millions
/// locally with e.g. `DROPDIAL_PHONE_DIFF_COUNT=2000000 swift test --filter PhoneFastPath`).
@Suite struct PhoneFastPathTests {
    static let count = Int(ProcessInfo.processInfo.environment["DROPDIAL_PHONE_DIFF_COUNT"] ?? "") ?? 20_000
    static let regions = ["US", "CA", "PR", "BB", "AG", "JM", "DO", "BS", "GU", "GB", "DE", "AU"]
    static let realAreas = ["201", "212", "246", "264", "268", "242", "284", "305", "310", "340", "345", "403",
                            "415", "441", "473", "503", "600", "617", "649", "658", "664", "670", "671", "684",
                            "702", "721", "758", "767", "784", "787", "800", "809", "829", "849", "868", "869",
                            "876", "888", "900", "939", "555", "311", "911", "456", "500", "521", "533", "544"]

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(below(10))) }) }
    }

    /// One input: a national number in one of many spellings.
    static func input(_ rng: inout SplitMix) -> String {
        let area = rng.below(3) == 0 ? rng.digits(3) : realAreas[rng.below(realAreas.count)]
        let n = area + rng.digits(7)
        let a = n.prefix(3), b = n.dropFirst(3).prefix(3), c = n.suffix(4)
        switch rng.below(30) {
        case 0: return "(\(a)) \(b)-\(c)"
        case 1: return "+1 \(a)-\(b)-\(c)"
        case 2: return "\(a).\(b).\(c)"
        case 3: return "1\(n)"
        case 4: return n
        case 5: return "+1\(n)"
        case 6: return "1-\(a)-\(b)-\(c)"
        case 7: return "+1 (\(a)) \(b) \(c)"
        case 8: return "1 (\(a)) \(b)-\(c)"
        case 9: return "+\(n)"                      // plus without country code
        case 10: return "\(n)\(rng.below(10))"      // 11 digits not starting 1
        case 11: return String(n.dropLast())        // 9 digits
        case 12: return "11\(n)"                    // 12 digits
        case 13: return "(\(a))-\(b).\(c)."
        case 14: return "((\(a))) \(b)--\(c)"
        case 15: return ".\(a) \(b) \(c)-"
        case 16: return "\(a)-\(b)-\(c) x\(rng.digits(3))"
        case 17: return "\(a)/\(b)-\(c)"
        case 18: return "011 1 \(a) \(b) \(c)"
        case 19: return "+44 \(rng.digits(10))"
        case 20: return "\(a)-\(b)-CALL"
        case 21: return "\u{FF14}\u{FF11}\u{FF15}\(b)\(c)"   // full-width digits
        case 22: return "+ 1 \(a) \(b) \(c)"
        case 23: return "1\(a)\(b)\(c) "
        case 24: return "+1-\(a)-\(b)-\(c)#"
        case 25: return "tel:+1\(n)"
        case 26: return "0\(n)"
        case 27: return String(n.prefix(7))         // 7-digit local number
        case 28: return "1 \(n.prefix(3)) \(n.dropFirst(3))"
        default:
            // Random strings over the fast path's alphabet and a few others.
            let alphabet = Array("0123456789012345678901234567890123456789 ()-.+x#")
            return String((0..<(5 + rng.below(14))).map { _ in alphabet[rng.below(alphabet.count)] })
        }
    }

    @Test func fastPathIsActive() {
        #expect(PhoneNormalizer.fastPathReady)
        #expect(PhoneNormalizer.raw("(415) 555-2671", region: "US", reference: false).e164 == "+14155552671")
    }

    @Test func agreesWithLibphonenumber() {
        var rng = SplitMix(state: 0xD20D1A1)
        var mismatches: [String] = []
        var valid = 0
        for i in 0..<Self.count {
            let text = Self.input(&rng)
            let region = Self.regions[i % Self.regions.count]
            let fast = PhoneNormalizer.raw(text, region: region, reference: false)
            let ref = PhoneNormalizer.raw(text, region: region, reference: true)
            if (fast.status == 0) != (ref.status == 0) || fast.e164 != ref.e164 {
                if mismatches.count < 20 { mismatches.append("\(region) \"\(text)\": fast \(fast) ref \(ref)") }
            }
            if ref.status == 0 { valid += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(valid > Self.count / 10, "the generator should produce plenty of valid numbers")
    }

    /// Every area code and exchange prefix (000–999 × 0–9) under the two NANP-main regions, in the
    /// fast path's own spellings.
    @Test func everyAreaCodeAgrees() {
        var rng = SplitMix(state: 7)
        var mismatches: [String] = []
        let step = Self.count >= 1_000_000 ? 1 : 7
        for prefix in stride(from: 0, to: 10_000, by: step) {
            let n = String(format: "%04d", prefix) + rng.digits(6)
            for (k, text) in ["+1\(n)", "(\(n.prefix(3))) \(n.dropFirst(3))"].enumerated() {
                let region = k == 0 ? "US" : "CA"
                let fast = PhoneNormalizer.raw(text, region: region, reference: false)
                let ref = PhoneNormalizer.raw(text, region: region, reference: true)
                if (fast.status == 0) != (ref.status == 0) || fast.e164 != ref.e164, mismatches.count < 20 {
                    mismatches.append("\(region) \"\(text)\": fast \(fast) ref \(ref)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    /// The region of a NANP number (compliance `countries`): the fast path's answer is
    /// libphonenumber's, for every area code and exchange digit, valid numbers or not.
    @Test func regionsAgree() {
        func region(_ e164: String, reference: Bool) -> String? {
            var out = [CChar](repeating: 0, count: 8)
            let ok = reference ? dd_phone_region_of_reference(e164, &out, out.count) : dd_phone_region_of(e164, &out, out.count)
            return ok == 1 ? String(cString: out) : nil
        }
        var rng = SplitMix(state: 11)
        var mismatches: [String] = [], found = Set<String>()
        let step = Self.count >= 1_000_000 ? 1 : 3
        for prefix in stride(from: 2000, to: 10_000, by: step) {
            let e164 = "+1" + String(format: "%04d", prefix) + rng.digits(6)
            let fast = region(e164, reference: false), ref = region(e164, reference: true)
            if let ref { found.insert(ref) }
            if fast != ref, mismatches.count < 20 { mismatches.append("\(e164): fast \(fast ?? "-") ref \(ref ?? "-")") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(found.isSuperset(of: ["US", "CA", "PR", "JM", "BS", "GU"]), "\(found.sorted())")
        #expect(region("+33612345678", reference: false) == "FR")
    }
}
