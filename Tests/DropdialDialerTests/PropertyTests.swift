import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import Foundation
import Testing

/// Random rules, zones and instants (many near DST transitions) checked against a brute-force minute walk:
/// nextEligible returns an instant the slow rules accept, and no earlier eligible minute exists.
@Suite struct PropertyTests {
    static let zoneNames = [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/St_Johns", "America/Santiago", "America/Sao_Paulo", "Europe/Berlin", "Europe/London",
        "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo",
        "Pacific/Chatham", "Pacific/Auckland", "Asia/Tehran", "Africa/Casablanca", "UTC",
    ]
    /// Brute-force search reach; answers further away are only checked for being later than this.
    static let reachMinutes = 10 * 24 * 60

    struct Case: CustomStringConvertible {
        var zones: [TimeZone]
        var days: [Int]
        var window: CallingWindow
        var guarded: Bool
        var holidays: [String]
        var instant: Date
        var description: String {
            "zones \(zones.map(\.identifier)) days \(days) window \(window.start)–\(window.end) guard \(guarded) holidays \(holidays) at \(instant)"
        }
    }

    static func randomCase(_ g: inout SplitMix64) -> Case {
        let zoneCount = Int.random(in: 0..<10, using: &g) < 8 ? 1 : 2
        let zones = (0..<zoneCount).map { _ in TimeZone(identifier: zoneNames.randomElement(using: &g)!)! }
        var days = (0...7).filter { _ in Bool.random(using: &g) }
        if days.isEmpty { days = [Int.random(in: 0...7, using: &g)] }
        // Windows on 15-minute steps, sometimes the whole day, often short night windows that meet DST gaps.
        let start: Int, end: Int
        switch Int.random(in: 0..<4, using: &g) {
        case 0: (start, end) = (0, 1440)
        case 1:
            let s = Int.random(in: 0..<16, using: &g) * 15   // 00:00–03:45
            (start, end) = (s, min(1440, s + Int.random(in: 1...12, using: &g) * 15))
        default:
            let s = Int.random(in: 0..<95, using: &g) * 15
            (start, end) = (s, Int.random(in: (s / 15 + 1)...96, using: &g) * 15)
        }
        // Instants: a whole minute in 2025–2027, or within ±2 days of one of the first zone's transitions.
        var t = Double(Int.random(in: 29_000_000..<30_600_000, using: &g)) * 60
        if Bool.random(using: &g),
           let tr = zones[0].nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: t)) {
            t = tr.timeIntervalSince1970 + Double(Int.random(in: -2880...2880, using: &g)) * 60
        }
        let instant = Date(timeIntervalSince1970: t)
        // Holidays near the instant, on any zone's calendar.
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zones[0]
        let holidays = (0..<Int.random(in: 0...3, using: &g)).map { _ in
            BruteForceRules.dateText(cal.dateComponents([.year, .month, .day],
                from: instant.addingTimeInterval(Double(Int.random(in: -1...6, using: &g)) * 86_400)))
        }
        let w = CallingWindow(start: LocalTime(minutes: start), end: LocalTime(minutes: end))
        return Case(zones: zones, days: days, window: w, guarded: Int.random(in: 0..<4, using: &g) == 0, holidays: holidays, instant: instant)
    }

    @Test func nextEligibleMatchesABruteForceMinuteWalk() {
        var g = SplitMix64(seed: 0xD1A1)
        var found = 0, none = 0
        for _ in 0..<2500 {
            let c = Self.randomCase(&g)
            let rules = CallingRules(allowedDays: c.days, callingWindow: c.window, callingHoursGuard: c.guarded, holidays: c.holidays)
            let brute = BruteForceRules(allowedDays: c.days, window: c.window, guarded: c.guarded, holidays: c.holidays, zones: c.zones)
            let got = rules.nextEligible(atOrAfter: c.instant, zones: c.zones)
            let want = brute.nextEligible(atOrAfter: c.instant, limitMinutes: Self.reachMinutes)
            #expect(rules.isEligible(c.instant, zones: c.zones) == brute.isEligible(c.instant), "\(c)")
            if let want {
                found += 1
                #expect(got == want, "\(c)")
            } else {
                none += 1
                // Nothing within reach: either nothing at all, or something later than the reach.
                if let got { #expect(got > c.instant.addingTimeInterval(Double(Self.reachMinutes) * 60), "\(c)") }
            }
            if let got {
                #expect(rules.isEligible(got, zones: c.zones), "\(c)")
                #expect(brute.isEligible(got), "\(c)")
            }
        }
        #expect(found > 1500) // the generator mostly produces reachable cases
        print("property: \(found) cases with an answer within reach, \(none) without")
    }

    @Test func intervalEndIsTheFirstIneligibleMinute() {
        var g = SplitMix64(seed: 0xE0D)
        var checked = 0
        for _ in 0..<600 {
            let c = Self.randomCase(&g)
            let rules = CallingRules(allowedDays: c.days, callingWindow: c.window, callingHoursGuard: c.guarded, holidays: c.holidays)
            let brute = BruteForceRules(allowedDays: c.days, window: c.window, guarded: c.guarded, holidays: c.holidays, zones: c.zones)
            guard let range = rules.nextEligibleInterval(atOrAfter: c.instant, zones: c.zones),
                  range.upperBound.timeIntervalSince(range.lowerBound) < 3 * 86_400 else { continue }
            checked += 1
            // Every minute of the interval is eligible and its end is not.
            var u = range.lowerBound
            while u < range.upperBound {
                if !brute.isEligible(u) { Issue.record("ineligible \(u) inside \(range) for \(c)"); break }
                u.addTimeInterval(60)
            }
            #expect(!brute.isEligible(range.upperBound), "\(c) \(range)")
            #expect(rules.eligibleUntil(range.lowerBound, zones: c.zones) == range.upperBound)
        }
        #expect(checked > 300)
    }

    @Test func wallClockResolutionAgreesWithFoundation() {
        // Every local reading resolves to an instant that shows it — unless it is in a gap, when the
        // instant is the gap's end — and no earlier instant shows it.
        var g = SplitMix64(seed: 0xC10C)
        for _ in 0..<3000 {
            let z = TimeZone(identifier: Self.zoneNames.randomElement(using: &g)!)!
            let clock = ZoneClock(z)
            var t = Double(Int.random(in: 29_000_000..<30_600_000, using: &g)) * 60
            if let tr = z.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: t)), Bool.random(using: &g) {
                t = tr.timeIntervalSince1970 + Double(Int.random(in: -180...180, using: &g)) * 60
            }
            let local = clock.local(t)
            let u = clock.instant(showing: local)
            #expect(u <= t)  // t itself shows `local`, so the first occurrence is no later
            #expect(clock.local(u) == local)
            // One hour of minutes before u never shows `local` (folds here are ≤ 1 h).
            for m in 1...60 { #expect(clock.local(u - Double(m) * 60) != local) }
            // A reading 30 minutes later either exists exactly or sits in a gap that ends at the answer.
            let later = local + 1800
            let v = clock.instant(showing: later)
            if clock.local(v) != later {
                #expect(clock.local(v - 1) < later && clock.local(v) > later)
            }
        }
    }
}
