import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// Cost of nextEligible per call; run with `DROPDIAL_BENCH=1 swift test --filter BenchmarkTests`
/// (debug builds are several times slower than release).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DROPDIAL_BENCH"] != nil))
struct BenchmarkTests {
    @Test func nextEligibleCost() {
        let office = rules("09:00", "17:00", days: mondayToFriday, guarded: true)
        let base = utc("2026-03-02T00:00Z").timeIntervalSince1970
        let n = 100_000
        let instants = (0..<n).map { Date(timeIntervalSince1970: base + Double($0 * 7919 % (365 * 86_400))) }
        for (label, zones) in [("New York", [newYork]), ("Kolkata", [kolkata]), ("New York + Chicago", [newYork, chicago])] {
            var hits = 0
            let elapsed = ContinuousClock().measure {
                for t in instants where office.nextEligible(atOrAfter: t, zones: zones) != nil { hits += 1 }
            }
            let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            print("nextEligible \(label): \(Int(ns / Double(n))) ns/call over \(n) calls")
            #expect(hits == n)
        }
    }
}
