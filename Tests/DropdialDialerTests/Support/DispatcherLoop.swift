import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import Foundation
import Logging

/// The reference for `Simulation`: the real `Dispatcher`, its SQL due index and recovery, driven
/// on a virtual clock over an in-memory copy of the store, one database round trip per step.
/// `Simulation` must print exactly what this loop prints.
enum DispatcherLoop {
    static func run(store: Store, backend: any CallBackend, start: Date, until: Date?,
                    retriedOutcomes: Set<CallOutcome>) async throws -> [AttemptEvent] {
        let copy = try store.inMemoryCopy()
        let clock = VirtualClock(start: start)
        let events = EventLog()
        let dispatcher = Dispatcher(
            store: copy, backend: backend, clock: clock, limits: .unlimited, retriedOutcomes: retriedOutcomes,
            logger: Logger(label: "dropdial.reference", factory: { _ in SwiftLogNoOpLogHandler() }),
            onAttempt: { events.add($0) })
        try await dispatcher.recover()
        while true {
            // An attempt due exactly at `until` is not run (SPEC §7).
            if let until, clock.now() >= until { break }
            if try await dispatcher.pass(inline: true, batchSize: 4096) > 0 { continue }
            guard let next = try copy.nextDue() else { break }
            let nextDate = Date(timeIntervalSince1970: TimeInterval(next))
            if let until, nextDate >= until { break }
            clock.advance(to: max(nextDate, clock.now()))
        }
        return events.all
    }
}
