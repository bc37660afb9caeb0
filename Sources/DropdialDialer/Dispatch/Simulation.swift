import DropdialBase
import DropdialConfig
import DropdialStore
import Foundation

/// `dropdial simulate`: the dialer loop on a virtual clock that jumps to the next due time whenever
/// nothing is due (SPEC §7). The database is only read.
///
/// Calls take no time in a simulation, so nothing needs the database between attempts: the pending
/// calls are read once into a `DueQueue` ordered like the due index (time, then call id) and run
/// through the dispatcher's own rules and retry plan. Attempts left in flight are treated as the
/// dispatcher's recovery treats them: `failed` at the clock's start, retried by the rules. The
/// do-not-call list is read once and grows with `declined` outcomes where the inbox says so.
/// Concurrency limits never bind: each call ends before the next starts. The rate limits do: a
/// call they hold back waits for its token (calling numbers rotate as in the dispatcher), and the
/// compliance rules' limits count the attempts already in the store and those simulated.
public enum Simulation {
    public struct Summary: Sendable, Equatable {
        public var attempts: Int
        public var end: Date
        /// Batches left out because their stored settings cannot be read (the daemon skips them too).
        public var skipped: [String] = []
    }

    /// Runs until every call is final or the clock passes `until`; `onAttempt` sees each attempt in
    /// time order.
    public static func run(store: any StoreEngine, backend: SimulatedBackend, start: Date, until: Date?,
                           retriedOutcomes: Set<CallOutcome>, compliance: ComplianceRules = .none,
                           rateLimits: RateLimits = .unlimited,
                           onAttempt: (AttemptEvent) -> Void) throws -> Summary {
        var rates = RateLimiter(rateLimits)
        var rotation: [Int64: Int] = [:]
        var histories: [String: AttemptHistory] = [:]
        let depth = compliance.historyDepth
        if depth > 0 {
            for (number, at) in try store.attemptStarts(since: start.addingTimeInterval(-compliance.longestLimit)) {
                histories[number, default: .empty].add(at.timeIntervalSince1970)
            }
        }
        var plans = PlanCache(store: store, retriedOutcomes: retriedOutcomes)
        var queue = DueQueue()
        var now = start.timeIntervalSince1970
        for call in try store.callsInFlight(stateColumn: compliance.readsStateColumn) {
            guard let plan = try plans.plan(call.batchId) else { continue }
            let i = queue.add(call)
            let next = plan.retry.next(afterAttempt: call.attempts - call.cycleBase, endedAt: start,
                                       outcome: .failed,
                                       zones: queue.zones(i))
            if let next { queue.schedule(i, at: Dispatcher.seconds(next)) }
        }
        for call in try store.scheduledCalls(stateColumn: compliance.readsStateColumn) {
            queue.schedule(queue.add(call), at: call.nextAttemptAt)
        }
        var doNotCall = Set(try store.dncNumbers())
        let untilSeconds = until?.timeIntervalSince1970
        var attempts = 0
        while let (due, i) = queue.earliest {
            // An attempt due exactly at `until` is not run (SPEC §7).
            if let untilSeconds, now >= untilSeconds { break }
            if due > now {
                if let untilSeconds, due >= untilSeconds { break }
                now = due
                continue
            }
            queue.removeEarliest()
            let call = queue[i]
            guard let plan = try plans.plan(call.batchId) else { continue }
            let zones = queue.zones(i)
            let clock = Date(timeIntervalSince1970: now)
            let matched = compliance.isEmpty ? [] : compliance.matching(e164: call.phoneNumber, variablesJSON: call.variablesJSON)
            let history = matched.contains { !$0.limits.isEmpty } ? histories[call.phoneNumber] ?? .empty : .empty
            switch DueDecision.of(plan.rules, at: clock, zones: zones, compliance: matched, history: history) {
            case .end: continue
            case .reschedule(let at):
                queue.schedule(i, at: at)
                continue
            case .dial: break
            }
            // Checked right before the dial, as Store.beginAttempt does: a listed number ends undialed.
            if doNotCall.contains(call.phoneNumber) { continue }
            if !rates.isUnlimited {
                // The first calling number in rotation with a token; without one the call waits.
                let numbers = plan.settings.callingNumbers
                let first = rotation[call.batchId, default: 0]
                let order = numbers.isEmpty ? [nil] : (0..<numbers.count).map { Optional((first + $0) % numbers.count) }
                let ready = order.map { rates.availableAt(batch: call.batchId, number: $0.map { numbers[$0] }) }
                guard let pick = ready.indices.first(where: { ready[$0] <= now }) else {
                    queue.schedule(i, at: ready.min()!)
                    continue
                }
                if let n = order[pick] { rotation[call.batchId] = n + 1 }
                rates.take(batch: call.batchId, number: order[pick].map { numbers[$0] }, at: now)
            }
            if depth > 0 {
                histories[call.phoneNumber, default: .empty].add(now)
                histories[call.phoneNumber]?.trim(to: depth)
            }
            let attempt = call.attempts + 1
            queue[i].attempts = attempt
            let outcome = backend.outcome(for: CallRequest.key(batch: call.batchId, call: call.id, attempt: attempt))
            attempts += 1
            onAttempt(AttemptEvent(callId: call.id, batchId: call.batchId, phoneNumber: call.phoneNumber,
                                   attempt: attempt, at: Timestamp.iso8601Seconds(clock), timezone: call.zones, outcome: outcome.rawValue))
            if outcome == .declined, plan.settings.dncOnDecline == true {
                doNotCall.insert(call.phoneNumber)
            }
            if let next = plan.retry.next(afterAttempt: attempt - call.cycleBase, endedAt: clock, outcome: outcome,
                                          zones: zones) {
                queue.schedule(i, at: Dispatcher.seconds(next))
            }
        }
        return Summary(attempts: attempts, end: Date(timeIntervalSince1970: now),
                       skipped: plans.unreadable.map(\.description))
    }
}

/// Batch plans by batch id, read from the store once each.
struct PlanCache {
    let store: any StoreEngine
    let retriedOutcomes: Set<CallOutcome>
    private var plans: [Int64: BatchPlan?] = [:]
    /// Batches whose stored settings cannot be read; their calls are left out, as the dispatcher does.
    private(set) var unreadable: [StoredSettingsUnreadable] = []

    init(store: any StoreEngine, retriedOutcomes: Set<CallOutcome>) {
        self.store = store
        self.retriedOutcomes = retriedOutcomes
    }

    mutating func plan(_ batch: Int64) throws -> BatchPlan? {
        if let hit = plans[batch] { return hit }
        let plan: BatchPlan?
        do {
            plan = try store.settings(batch: batch).map { BatchPlan(settings: $0, retriedOutcomes: retriedOutcomes) }
        } catch let e as StoredSettingsUnreadable {
            unreadable.append(e)
            plan = nil
        }
        plans[batch] = plan
        return plan
    }
}
