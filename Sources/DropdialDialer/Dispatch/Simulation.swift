import DropdialStore
import Foundation
import Logging

/// `dropdial simulate`: the dialer loop on a virtual clock over a private in-memory copy of the
/// database; the clock jumps to the next due time whenever nothing is due (SPEC §7).
public enum Simulation {
    public struct Summary: Sendable, Equatable {
        public var attempts: Int
        public var end: Date
    }

    /// Runs until every call is final or the clock passes `until`; `onAttempt` sees each attempt in
    /// time order. The database behind `store` is not modified.
    public static func run(store: Store, backend: any CallBackend, start: Date, until: Date?,
                           limits: DispatchLimits, retriedOutcomes: Set<String>,
                           onAttempt: @escaping @Sendable (AttemptEvent) -> Void) async throws -> Summary {
        let copy = try store.inMemoryCopy()
        let clock = VirtualClock(start: start)
        let counter = Counter()
        let dispatcher = Dispatcher(
            store: copy, backend: backend, clock: clock, limits: limits, retriedOutcomes: retriedOutcomes,
            logger: Logger(label: "dropdial.simulate", factory: { _ in SwiftLogNoOpLogHandler() }),
            onAttempt: { event in
                counter.add()
                onAttempt(event)
            })
        try await dispatcher.recover()
        while true {
            if let until, clock.now() > until { break }
            let progressed = try await dispatcher.pass(inline: true, batchSize: 4096)
            if progressed > 0 { continue }
            guard let next = try copy.nextDue() else { break }
            let nextDate = Date(timeIntervalSince1970: TimeInterval(next))
            if let until, nextDate > until { break }
            // Nothing placeable now although due (limits): step one second so the loop always advances.
            clock.advance(to: max(nextDate, clock.now().addingTimeInterval(nextDate > clock.now() ? 0 : 1)))
        }
        return Summary(attempts: counter.value, end: clock.now())
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
