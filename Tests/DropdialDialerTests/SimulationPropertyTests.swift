import DropdialConfig
@testable import DropdialDialer
import DropdialImport
import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// `Simulation` against the real dispatcher (`DispatcherLoop`) over random plans: random batch
/// settings (plain retries, smart callbacks, day and night windows, weekday subsets, the guard,
/// holidays near the start, a future `scheduledAt`, `dncOnDecline`), random contacts in one or
/// several zones, numbers shared across batches and on the do-not-call list, attempts left in
/// flight or made before, requeued calls, paused and cancelled batches, starts near DST
/// transitions and an optional `until`. Both must print the same attempt lines, line for line.
///
/// A failure names its seed: `DROPDIAL_SIM_SEED=N swift test --filter SimulationPropertyTests`
/// runs that one case alone; `DROPDIAL_SIM_CASES=N` runs seeds 1…N instead of the usual 60.
@Suite struct SimulationPropertyTests {
    static let zoneLists = [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
        "America/St_Johns", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland",
        "UTC", "America/New_York,America/Denver", "America/New_York,America/Los_Angeles",
        "Europe/London,Europe/Lisbon", "Europe/Berlin,America/New_York", "Australia/Sydney,Asia/Tokyo",
    ]

    /// DST transitions of 2026 (UTC): US spring forward and fall back, EU both, Sydney both,
    /// Auckland fall back. Starts are drawn around them.
    static let transitions = [
        "2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z",
        "2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z", "2026-04-04T14:00:00Z",
    ].map { ISO8601DateFormatter().date(from: $0)! }

    static let outcomes: [CallOutcome] = [.completed, .noAnswer, .busy, .failed, .voicemail, .invalidNumber, .declined]

    /// One generated plan: its store and how to run it.
    struct Case: CustomStringConvertible {
        var seed: UInt64
        var store: Store
        var start: Date
        var until: Date?
        var weights: [(CallOutcome, Double)]
        var retried: Set<CallOutcome>
        var batches: [BatchSettings]
        var calls: Int
        var inFlight: Int
        var requeued: Int
        var listed: Int

        var description: String {
            """
            seed \(seed): start \(start.timeIntervalSince1970) (\(ISO8601DateFormatter().string(from: start))), \
            until \(until.map { ISO8601DateFormatter().string(from: $0) } ?? "-"), \(batches.count) batches, \
            \(calls) calls, \(inFlight) in flight, \(requeued) requeued, \(listed) numbers listed, \
            retried \(retried.map(\.rawValue).sorted()), weights \(weights.map { "\($0.0.rawValue)=\($0.1)" })
            """
        }
    }

    struct Rng {
        var g: SplitMix64
        mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &g) }
        mutating func chance(_ p: Double) -> Bool { Double(g.next() >> 11) / Double(1 << 53) < p }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...xs.count - 1)] }
    }

    static func day(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: d)
    }

    static func window(_ rng: inout Rng) -> CallingWindow {
        let (a, b): (Int, Int) = switch rng.int(0...7) {
        case 0: (0, 24 * 60)             // the whole day
        case 1: (9 * 60, 17 * 60)        // office hours
        case 2: (22 * 60, 24 * 60)       // night, to midnight
        case 3: (0, 6 * 60)              // night, from midnight (the spring-forward hour falls in it)
        case 4: (60, 3 * 60)             // 01:00–03:00, where the US and EU transitions happen
        case 5: (8 * 60, 21 * 60)        // the guard's own hours
        default: (-1, -1)                // any other window, to the minute
        }
        if a < 0 {
            let start = rng.int(0...(24 * 60 - 1))
            return CallingWindow(start: LocalTime(minutes: start), end: LocalTime(minutes: rng.int((start + 1)...(24 * 60))))
        }
        return CallingWindow(start: LocalTime(minutes: a), end: LocalTime(minutes: b))
    }

    static func settings(_ rng: inout Rng, start: Date) -> BatchSettings {
        var s = BatchSettings()
        s.retry = RetryPolicy(count: rng.int(0...5),
                              intervalMinutes: rng.chance(0.5) ? rng.pick([1, 5, 30, 60, 90, 240, 600]) : rng.int(1...600))
        switch rng.int(0...9) {
        case 0...3:
            let attempts = rng.int(1...6)
            let gaps = (0..<rng.int((attempts > 1 ? 1 : 0)...3)).map { _ in
                var g = CallbackGap(days: rng.pick([0, 0, 1, 2]), hours: rng.int(0...30))
                if g.days == 0 && g.hours == 0 { g.hours = 1 }
                return g
            }
            s.smartCallbackConfig = SmartCallbackConfig(enabled: true, maxAttempts: attempts, gaps: gaps)
        case 4:
            s.smartCallbackConfig = SmartCallbackConfig(enabled: false, maxAttempts: rng.int(1...6),
                                                        gaps: [CallbackGap(days: 1, hours: 0)])
        default:
            break
        }
        s.callingWindow = window(&rng)
        switch rng.int(0...3) {
        case 0: s.allowedDays = [0, 1, 2, 3, 4, 5, 6]
        case 1: s.allowedDays = [1, 2, 3, 4, 5]
        default:
            var days = (0...7).filter { _ in rng.chance(0.5) }
            if days.isEmpty { days = [rng.int(0...7)] }
            s.allowedDays = days
        }
        s.callingHoursGuard = rng.chance(0.5)
        s.holidays = (0..<rng.int(0...3)).map { _ in day(start.addingTimeInterval(Double(rng.int(-2...8)) * 86_400)) }
        if rng.chance(0.25) { s.scheduledAt = start.addingTimeInterval(Double(rng.int(-86_400...(5 * 86_400)))) }
        s.dncOnDecline = rng.pick([nil, false, true, true])
        precondition(SettingsCheck.retry(s.retry) == nil && SettingsCheck.window(s.callingWindow) == nil
                     && SettingsCheck.allowedDays(s.allowedDays) == nil
                     && (s.smartCallbackConfig.flatMap(SettingsCheck.smartCallback) == nil)
                     && s.holidays.allSatisfy { SettingsCheck.holiday($0) == nil }, "generated invalid settings \(s)")
        return s
    }

    static func generate(seed: UInt64) throws -> Case {
        var rng = Rng(g: SplitMix64(seed: seed))
        var start: Date = rng.chance(0.6)
            ? rng.pick(transitions).addingTimeInterval(Double(rng.int(-2 * 86_400...86_400)))
            : Date(timeIntervalSince1970: 1_767_225_600 + Double(rng.int(0...(730 * 86_400))))   // 2026–2027
        if rng.chance(0.3) { start.addTimeInterval(Double(rng.int(1...999)) / 1000) }   // `simulate` defaults to now
        let importedAt = rng.chance(0.8) ? start.addingTimeInterval(-Double(rng.int(0...(3 * 86_400))))
            : start.addingTimeInterval(Double(rng.int(0...(2 * 86_400))))
        let store = try Scratch.store("simprop")
        let pool = (0..<rng.int(10...40)).map { "+1202555\(String(format: "%04d", 1000 + $0 * 7))" }
        var batches: [BatchSettings] = []
        var calls = 0
        for b in 0..<rng.int(2...6) {
            let s = settings(&rng, start: start)
            var numbers = pool
            numbers.shuffle(using: &rng.g)
            let contacts = numbers.prefix(rng.int(2...min(20, pool.count))).map {
                Contact(phone: $0, zones: rng.pick(zoneLists))
            }
            try importBatch(store, Array(contacts), settings: s, name: "p\(b)",
                            at: importedAt.addingTimeInterval(Double(rng.int(0...600))))
            batches.append(s)
            calls += contacts.count
        }
        let listed = pool.filter { _ in rng.chance(0.12) }
        try store.addToDNC(listed, source: .manual, at: importedAt)

        // History before the clock's start: attempts made and ended (retry due, or final and then
        // requeued by add-calls), and attempts left in flight by a crash.
        var inFlight = 0, requeued = 0
        for call in try store.dueCalls(now: .max, limit: 10_000) where rng.chance(0.2) {
            guard try store.beginAttempt(call: call, attempt: 1, key: "pre-\(call.id)-1", callingNumber: nil,
                                         at: importedAt) == .began else { continue }
            if rng.chance(0.5) {
                inFlight += 1
                continue
            }
            let outcome = rng.pick(outcomes)
            let final = rng.chance(0.4)
            try store.finishAttempt(callId: call.id, attempt: 1, outcome: outcome, durationSec: 10,
                                    endedAt: importedAt.addingTimeInterval(30),
                                    next: final ? nil : Int64(importedAt.timeIntervalSince1970) + Int64(rng.int(60...90_000)))
            if final, rng.chance(0.6) {
                let r = try store.addCalls(batch: call.batchId, chunks: [AddCallsChunk(number: 1, calls: [
                    CallDraft(rowNumber: 2, phoneNumber: call.phoneNumber, variablesJSON: "{}", timezone: nil,
                              zones: rng.pick(zoneLists)),
                ])], now: importedAt.addingTimeInterval(Double(rng.int(60...7200))))
                requeued += r.requeued
            }
        }
        // Some calls whose first attempt ended go on to a second one, still in flight.
        for call in try store.dueCalls(now: .max, limit: 10_000) where call.attempts == 1 && call.cycleBase == 0 && rng.chance(0.4) {
            if try store.beginAttempt(call: call, attempt: 2, key: "pre-\(call.id)-2", callingNumber: nil,
                                      at: importedAt.addingTimeInterval(3600)) == .began {
                inFlight += 1
            }
        }
        for id in 1...Int64(batches.count) where rng.chance(0.1) {
            _ = try store.control(batch: id, rng.chance(0.5) ? .pause : .cancel)
        }

        var until = rng.chance(0.3) ? start.addingTimeInterval(Double(rng.int(3600...(10 * 86_400)))) : nil
        // On a whole hour, where windows open and calls come due: an attempt due exactly at `until` is not run.
        if let u = until, rng.chance(0.5) { until = Date(timeIntervalSince1970: (u.timeIntervalSince1970 / 3600).rounded(.down) * 3600) }
        let weights = outcomes.map { ($0, Double(rng.int(0...4)) + ($0 == .noAnswer ? 1 : 0)) }
        var retried = CallOutcome.defaultRetried
        switch rng.int(0...5) {
        case 0: retried.insert(.declined)
        case 1: retried.remove(.failed)
        case 2: retried = [.noAnswer, .busy, .failed, .voicemail, .invalidNumber, .completed]
        default: break
        }
        return Case(seed: seed, store: store, start: start, until: until, weights: weights, retried: retried,
                    batches: batches, calls: calls, inFlight: inFlight, requeued: requeued, listed: listed.count)
    }

    /// What the cases added up to, so the agreement is not vacuous.
    struct Totals {
        var cases = 0, attempts = 0, retries = 0, smartRetries = 0, cutByUntil = 0
        var listedCalls = 0, declineListings = 0, inFlight = 0, requeued = 0
        var maxAttempt = 0
    }

    /// Runs both drivers on `c`; returns the attempt lines when they agree, nil (and an issue
    /// naming the seed) when they do not.
    static func compare(_ c: Case) async throws -> [AttemptEvent]? {
        let backend = SimulatedBackend(mode: .weighted(c.weights, seed: c.seed), durationSec: 0)
        var events: [AttemptEvent] = []
        let summary = try Simulation.run(store: c.store, backend: backend, start: c.start, until: c.until,
                                         retriedOutcomes: c.retried, onAttempt: { events.append($0) })
        let reference = try await DispatcherLoop.run(store: c.store, backend: backend, start: c.start, until: c.until,
                                                     retriedOutcomes: c.retried)
        if summary.attempts != events.count {
            Issue.record("\(c): the summary counts \(summary.attempts) attempts, \(events.count) were shown")
        }
        if let i = zip(events, reference).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("""
                \(c)
                first difference at attempt line \(i) of \(events.count) (dispatcher \(reference.count)):
                  simulate:   \(events[i])
                  dispatcher: \(reference[i])
                """)
            return nil
        }
        if events.count != reference.count {
            let extra = events.count > reference.count ? events[reference.count] : reference[events.count]
            Issue.record("""
                \(c)
                simulate shows \(events.count) attempts, the dispatcher \(reference.count); the first extra one \
                (\(events.count > reference.count ? "simulate" : "dispatcher")): \(extra)
                """)
            return nil
        }
        return events
    }

    @Test func simulateAndTheDispatcherAgreeOverRandomPlans() async throws {
        let env = ProcessInfo.processInfo.environment
        let seeds: [UInt64] = env["DROPDIAL_SIM_SEED"].flatMap(UInt64.init).map { [$0] }
            ?? Array(1...(env["DROPDIAL_SIM_CASES"].flatMap(UInt64.init) ?? 60))
        var totals = Totals()
        let started = Date()
        for seed in seeds {
            let c = try Self.generate(seed: seed)
            guard let events = try await Self.compare(c) else { continue }
            totals.cases += 1
            totals.attempts += events.count
            totals.retries += events.filter { $0.attempt > 1 }.count
            totals.maxAttempt = max(totals.maxAttempt, events.map(\.attempt).max() ?? 0)
            totals.inFlight += c.inFlight
            totals.requeued += c.requeued
            if c.until != nil {
                // Cut short: without `until` the same plan goes on to more attempts.
                let whole = try Simulation.run(store: c.store, backend: SimulatedBackend(mode: .weighted(c.weights, seed: c.seed)),
                                               start: c.start, until: nil, retriedOutcomes: c.retried, onAttempt: { _ in })
                if whole.attempts > events.count { totals.cutByUntil += 1 }
            }
            let smartBatches = Set(c.batches.enumerated().filter { $0.element.smartCallbackConfig?.enabled == true }
                .map { Int64($0.offset + 1) })
            totals.smartRetries += events.filter { smartBatches.contains($0.batchId) && $0.attempt > 1 }.count

            // The do-not-call list: numbers listed before the start are never dialed, and a number
            // declined in a `dncOnDecline` batch is not dialed again anywhere afterwards.
            let listed = Set(try c.store.dncNumbers())
            #expect(events.allSatisfy { !listed.contains($0.phoneNumber) }, "seed \(seed): a listed number was dialed")
            totals.listedCalls += try c.store.dueCalls(now: .max, limit: 10_000).filter { listed.contains($0.phoneNumber) }.count
            let listing = Set(c.batches.enumerated().filter { $0.element.dncOnDecline == true }.map { Int64($0.offset + 1) })
            var declinedAt: [String: String] = [:]
            for e in events {
                if let at = declinedAt[e.phoneNumber] {
                    Issue.record("seed \(seed): \(e.phoneNumber) dialed at \(e.at) after its decline at \(at)")
                }
                if e.outcome == CallOutcome.declined.rawValue, listing.contains(e.batchId), declinedAt[e.phoneNumber] == nil {
                    declinedAt[e.phoneNumber] = e.at
                }
            }
            totals.declineListings += declinedAt.count
        }
        let seconds = Date().timeIntervalSince(started)
        print("""
            simulate vs dispatcher: \(totals.cases) of \(seeds.count) cases agree, \(totals.attempts) attempts \
            (\(totals.retries) retries, \(totals.smartRetries) smart callbacks, attempt numbers up to \(totals.maxAttempt)), \
            \(totals.inFlight) attempts in flight at the start, \(totals.requeued) requeued calls, \
            \(totals.listedCalls) pending calls on listed numbers, \(totals.declineListings) numbers listed by a decline, \
            \(totals.cutByUntil) cut by until, \(String(format: "%.1f", seconds)) s
            """)
        guard seeds.count >= 60 else { return }   // the bounds below are for the full run
        #expect(totals.cases == seeds.count)
        // 60 cases make about 2,700 attempts (1,600 retries, 480 smart callbacks), 260 attempts in
        // flight at the start, 60 requeued calls, 210 calls on listed numbers, 160 decline listings.
        #expect(totals.attempts > 1500, "the cases dialed: \(totals)")
        #expect(totals.retries > 800, "\(totals)")
        #expect(totals.smartRetries > 200, "\(totals)")
        #expect(totals.maxAttempt >= 5, "\(totals)")
        #expect(totals.inFlight > 100 && totals.requeued > 20, "\(totals)")
        #expect(totals.listedCalls > 100 && totals.declineListings > 50, "\(totals)")
        #expect(totals.cutByUntil > 3, "\(totals)")
    }
}
