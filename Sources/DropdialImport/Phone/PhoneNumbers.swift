/// Phone text to E.164 for callers outside the import (the `dnc` commands), through the same
/// normalizer an import uses.
public enum PhoneNumbers {
    /// The E.164 form of `text` read in `region`, or nil when it is not a valid number there.
    public static func e164(_ text: String, region: String) -> String? {
        try? PhoneNormalizer(region: region).normalize(text)
    }
}
