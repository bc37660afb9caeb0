import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// The cached transition table answers exactly what `TimeZone` answers, inside and outside its span.
@Suite struct ZoneClockTests {
    @Test(arguments: PropertyTests.zoneNames + ["America/Caracas", "Europe/Moscow", "Pacific/Apia", "Asia/Pyongyang"])
    func tableAgreesWithFoundation(name: String) {
        let z = TimeZone(identifier: name)!
        let clock = ZoneClock(z)
        var g = SplitMix64(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        // 1960 … 2120: across both ends of the table's 1970–2100 span.
        for _ in 0..<400 {
            let t = Double(Int.random(in: -315_619_200 ... 4_733_510_400, using: &g))
            let d = Date(timeIntervalSince1970: t)
            #expect(clock.offset(at: t) == Double(z.secondsFromGMT(for: d)), "\(name) \(d)")
            #expect(clock.nextTransition(after: t) == z.nextDaylightSavingTimeTransition(after: d)?.timeIntervalSince1970, "\(name) \(d)")
        }
    }

    @Test func transitionInstantsBelongToTheNewOffset() {
        let clock = ZoneClock(newYork)
        let spring = utc("2026-03-08T07:00Z").timeIntervalSince1970
        #expect(clock.offset(at: spring - 1) == -5 * 3600 && clock.offset(at: spring) == -4 * 3600)
        #expect(clock.nextTransition(after: spring - 1) == spring)
        #expect(clock.nextTransition(after: spring) == utc("2026-11-01T06:00Z").timeIntervalSince1970)
        #expect(ZoneClock(phoenix).nextTransition(after: spring) == nil)
    }
}
