import CPhoneNumber

/// Phone text to E.164 for callers outside the import (the `dnc` commands), through the same
/// normalizer an import uses.
public enum PhoneNumbers {
    /// The E.164 form of `text` read in `region`, or nil when it is not a valid number there.
    public static func e164(_ text: String, region: String) -> String? {
        try? PhoneNormalizer(region: region).normalize(text)
    }

    /// The ISO region of an E.164 number (`+13055550100` → `US`, `+14165550100` → `CA`), from the
    /// same numbering data as validation; nil when it belongs to no single region.
    public static func region(ofE164 e164: String) -> String? {
        var out = [CChar](repeating: 0, count: 8)
        guard dd_phone_region_of(e164, &out, out.count) == 1 else { return nil }
        return String(decoding: out.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
