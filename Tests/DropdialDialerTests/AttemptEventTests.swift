import DropdialConfig
import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// `simulate --json`'s hand-written line is the `Codable` form of `AttemptEvent`, escapes included.
@Suite struct AttemptEventTests {
    @Test func theLineDecodesToTheSameEvent() throws {
        var rng = SplitMix64(seed: 3)
        let odd = ["America/New_York", "Europe/London,Europe/Lisbon", "a\"b", "back\\slash", "tab\tnew\nline", "\u{1}", "é😀"]
        for i in 0..<500 {
            let e = AttemptEvent(callId: Int64(rng.next() % 1_000_000), batchId: Int64(i), phoneNumber: "+1415555\(i)",
                                 attempt: Int(rng.next() % 21) + 1, at: "2026-11-23T14:00:00Z",
                                 timezone: odd[Int(rng.next() % UInt64(odd.count))],
                                 outcome: CallOutcome.allCases[Int(rng.next() % UInt64(CallOutcome.allCases.count))].rawValue)
            let line = e.jsonLine
            #expect(!line.contains("\n"), "one line")
            #expect(try JSONDecoder().decode(AttemptEvent.self, from: Data(line.utf8)) == e, "\(line)")
        }
    }
}
