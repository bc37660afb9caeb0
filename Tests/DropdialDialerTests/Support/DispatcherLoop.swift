import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import DropdialTestKit
import Foundation
import Logging

/// The reference for `Simulation`: the real `Dispatcher`, its SQL due index and recovery, driven
/// on a virtual clock over a copy of the store. Each pass takes the one earliest due call (due
/// time, then call id) and waits for it to end, so calls meet the do-not-call list in the order
/// `simulate` takes them. `Simulation` must print exactly what this loop prints.
enum DispatcherLoop {
    static func run(store: Store, backend: any CallBackend, start: Date, until: Date?,
                    retriedOutcomes: Set<CallOutcome>, compliance: ComplianceRules = .none,
                    rateLimits: RateLimits = .unlimited) async throws -> [AttemptEvent] {
        let copy = try Scratch.copy(of: store, "reference")
        let clock = VirtualClock(start: start)
        let events = EventLog()
        let dispatcher = Dispatcher(
            store: copy, backend: Observed(inner: backend, clock: clock, log: events), clock: clock,
            limits: .unlimited, retriedOutcomes: retriedOutcomes, compliance: compliance, rateLimits: rateLimits,
            logger: Logger(label: "dropdial.reference", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await dispatcher.recover()
        while true {
            // An attempt due exactly at `until` is not run (SPEC §7).
            if let until, clock.now() >= until { break }
            if try await dispatcher.passAndSettle(batchSize: 1) > 0 { continue }
            if let held = await dispatcher.heldUntil {
                // A rate limit holds the earliest due call back: time moves to its token.
                if let until, held >= until { break }
                clock.advance(to: held)
                continue
            }
            guard let next = try copy.nextDue() else { break }
            let nextDate = Date(timeIntervalSince1970: TimeInterval(next))
            if let until, nextDate >= until { break }
            clock.advance(to: max(nextDate, clock.now()))
        }
        return events.all
    }
}
