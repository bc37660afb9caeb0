import DropdialBase
import DropdialTestKit
import Foundation
import Testing

/// The one timestamp formatter, held to Foundation's ISO 8601 formatter over random instants.
@Suite struct TimestampTests {
    @Test func utcMatchesFoundationsFormatter() {
        let f = ISO8601DateFormatter()
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let d = Date(timeIntervalSince1970: Double(rng.next() % 8_000_000_000) - 1_000_000_000)
            #expect(Timestamp.iso8601Seconds(d) == f.string(from: d))
        }
        #expect(Timestamp.iso8601Seconds(Date(timeIntervalSince1970: 59.9)) == "1970-01-01T00:00:59Z", "whole seconds, not rounded up")
    }

    @Test func millisecondsMatchFoundationsFormatter() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var rng = SplitMix64(seed: 11)
        for _ in 0..<2000 {
            // Whole milliseconds, so Foundation's rounding and ours cannot differ.
            let ms = Int64(rng.next() % 8_000_000_000_000) - 1_000_000_000_000
            let d = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(Timestamp.iso8601(d) == f.string(from: d), "\(ms)")
            #expect(Timestamp.parse(Timestamp.iso8601(d)).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == ms)
        }
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z", "nearest, carrying")
        #expect(Timestamp.iso8601Seconds(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:00:59Z", "whole seconds round down")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp.parse("2026-03-08T06:30:00Z") == Date(timeIntervalSince1970: 1_772_951_400))
    }

    /// The hand-read form agrees with Foundation's formatter on what dropdial writes.
    @Test func theFastParseAgreesWithFoundation() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let whole = ISO8601DateFormatter()
        var rng = SplitMix64(seed: 12)
        for _ in 0..<2000 {
            let ms = Int64(rng.next() % 8_000_000_000_000) - 1_000_000_000_000
            let d = Date(timeIntervalSince1970: Double(ms) / 1000)
            let text = Timestamp.iso8601(d), seconds = Timestamp.iso8601Seconds(d)
            #expect(Timestamp.parse(text)?.timeIntervalSince1970 == f.date(from: text)?.timeIntervalSince1970, "\(text)")
            #expect(Timestamp.parse(seconds) == whole.date(from: seconds), "\(seconds)")
        }
        #expect(Timestamp.parse("2026-03-08T06:30:00+01:00") == Date(timeIntervalSince1970: 1_772_951_400 - 3600), "offsets still read")
        #expect(Timestamp.parse("2026-03-08T06:30:00.Z") == nil)
    }

    @Test func localTimesCarryTheirOffset() {
        let d = Date(timeIntervalSince1970: 1_772_951_400)  // 2026-03-08T06:30:00Z
        #expect(Timestamp.local(d, offsetSeconds: -8 * 3600) == "2026-03-07T22:30:00-08:00")
        #expect(Timestamp.local(d, offsetSeconds: 5 * 3600 + 1800) == "2026-03-08T12:00:00+05:30")
        #expect(Timestamp.local(d, offsetSeconds: 0) == "2026-03-08T06:30:00+00:00")
    }
}
