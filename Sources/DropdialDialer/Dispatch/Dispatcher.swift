import DropdialBase
import DropdialConfig
import DropdialStore
import Foundation
import Logging
import Metrics

/// The dialer loop's one pass: select due calls through the due index, apply the calling rules,
/// record each attempt before placing it, and schedule the retry when it ends (SPEC §7).
public actor Dispatcher {
    let store: any StoreEngine
    let backend: any CallBackend
    let clock: any DialerClock
    let limits: AttemptLimits
    let retriedOutcomes: Set<CallOutcome>
    let compliance: ComplianceRules
    let logger: Logger
    private var rates: RateLimiter
    /// Provider calls placed and waiting for their outcome, by provider call id (SPEC §9).
    var open: [String: OpenCall] = [:]
    /// Polls in flight, by provider call id.
    var polling: [String: Task<Void, Never>] = [:]
    /// Final webhooks that came before their create request's reply, by provider call id (bounded).
    var early: [String: CallResult] = [:]
    /// The provider backends' timing.
    let timing: DialerConfig.ProviderTiming
    /// The pass's compliance matches by call id and attempt histories by number (``prefetchHistories``).
    private var passMatches: [Int64: [ComplianceRules.Rule]] = [:]
    private var passHistories: [String: AttemptHistory] = [:]
    /// The earliest instant a call the rate limits held back in the last pass may start.
    public private(set) var heldUntil: Date?

    var plans: [Int64: BatchPlan] = [:]
    var zoneCache = ZoneCache()
    var inFlightByBatch: [Int64: Int] = [:]
    var inFlightByNumber: [String: Int] = [:]
    private var rotation: [Int64: Int] = [:]
    var running: [Int64: Task<Void, Never>] = [:]
    /// Ended attempts whose outcome the database refused; written first on the next pass.
    var unrecorded: [Ended] = []
    /// Batches whose stored settings cannot be read: logged once, their calls left alone, so one
    /// batch never stops the dialer for the others.
    public private(set) var skippedBatches: Set<Int64> = []

    public init(store: any StoreEngine, backend: any CallBackend, clock: any DialerClock, limits: AttemptLimits,
                retriedOutcomes: Set<CallOutcome>, compliance: ComplianceRules = .none,
                rateLimits: RateLimits = .unlimited, timing: DialerConfig.ProviderTiming = .init(), logger: Logger) {
        self.timing = timing
        self.compliance = compliance
        self.rates = RateLimiter(rateLimits)
        self.store = store
        self.backend = backend
        self.clock = clock
        // The store checks the rate limits across nodes too (PostgreSQL), beside the buckets here.
        var limits = limits
        limits.rates = rateLimits
        self.limits = limits
        self.retriedOutcomes = retriedOutcomes
        self.logger = logger
    }

    /// Closes attempts a crash left in flight as `failed` and lets the retry rules schedule them;
    /// they are never re-dialed at once.
    public func recover() throws {
        let now = clock.now()
        try close(try store.closeOpenAttempts(at: now, keepingProviderCalls: backend is any ProviderBackend), at: now,
                  "closed an attempt left in flight")
        try reopenProviderCalls(at: now)
    }

    /// Nodes sharing a PostgreSQL database (SPEC §11): heartbeats, and takes over the attempts in
    /// flight of a node silent for `leaseSeconds`, as that node's own restart would.
    public func takeOverSilentNodes(leaseSeconds: Double) throws {
        let now = clock.now()
        try close(try store.takeOverSilentNodes(leaseSeconds: leaseSeconds, at: now,
                                                keepingProviderCalls: backend is any ProviderBackend),
                  at: now, "took over an attempt of a silent node")
        // The provider calls taken over wait here for their outcome, polled once late.
        try reopenProviderCalls(at: now)
    }

    /// Attempts closed as `failed` without an outcome: the retry rules schedule them (never at once).
    private func close(_ attempts: [OpenAttempt], at now: Date, _ message: Logger.Message) throws {
        for open in attempts {
            guard let plan = try plan(open.batchId) else { continue }
            let zones = zoneCache.zones(open.zones)
            let next = plan.retry.next(afterAttempt: open.attempt - open.cycleBase, endedAt: now, outcome: .failed,
                                       zones: zones)
            try store.finishAttempt(callId: open.callId, attempt: open.attempt,
                                    outcome: .failed, durationSec: 0,
                                    endedAt: now, next: next.map(Self.seconds), listNumber: nil)
            logger.notice(message, metadata: ["call": "\(open.callId)", "attempt": "\(open.attempt)"])
        }
    }

    /// Places or reschedules up to `batchSize` calls due now, earliest first (due time, then call
    /// id); placed calls run concurrently within the limits. Returns how many calls were placed or
    /// rescheduled. A batch a limit holds back is left out of the rest of the pass, and the due
    /// calls are read again without it, so its waiting calls never keep other batches' calls back.
    public func pass(batchSize: Int = 512) async throws -> Int {
        // Outcomes a database fault kept from being written come first: never lost, never redialed.
        try recordUnrecorded()
        let now = clock.now()
        pollDue(at: now)
        var progressed = 0
        heldUntil = nil
        var heldBatches = Set<Int64>()
        reading: while true {
            let due = try store.dueCalls(now: Int64(now.timeIntervalSince1970.rounded(.down)), limit: batchSize,
                                         excluding: skippedBatches.union(heldBatches))
            let heldBefore = heldBatches.count
            try prefetchHistories(due, at: now)
            for call in due where !heldBatches.contains(call.batchId) {
                // No call may start before the next token of the limit on all calls: the rest wait.
                let globalReady = rates.availableGlobally
                if globalReady > now.timeIntervalSince1970 {
                    _ = hold(until: globalReady)
                    break reading
                }
                switch try consider(call, at: now) {
                case .progressed: progressed += 1
                case .batchHeld: heldBatches.insert(call.batchId)
                case .skipped: break
                }
            }
            if heldBatches.count == heldBefore || due.isEmpty { break }
        }
        inFlightGauge.record(inFlight)
        return progressed
    }

    /// Decides one due call and acts on it: ends, reschedules, places it, or leaves it waiting for
    /// a slot.
    private func consider(_ call: DueCall, at now: Date) throws -> Considered {
        guard let plan = try plan(call.batchId) else { return .skipped }
        let zones = zoneCache.zones(call.zones)
        let matched = passMatches[call.id] ?? []
        let history = passHistories[call.phoneNumber] ?? .empty
        switch DueDecision.of(plan.rules, at: now, zones: zones, compliance: matched, history: history) {
        case .end:
            try store.finishWithoutDialing(call: call.id, outcome: .noEligibleTime)
            return .progressed
        case .reschedule(let at):
            try store.reschedule(call: call.id, to: at)
            return .progressed
        case .dial:
            break
        }
        guard let number = takeSlot(batch: call.batchId, numbers: plan.settings.callingNumbers, at: now) else { return .batchHeld }
        let attempt = call.attempts + 1
        let key = CallRequest.key(batch: call.batchId, call: call.id, attempt: attempt)
        let start: AttemptStart
        do {
            // The store counts every node's attempts (PostgreSQL): in flight, started lately, and
            // to this number under the matched rules' limits; this node's own counts above only
            // spare it a round trip when it alone is at a limit.
            var callLimits = limits
            callLimits.perCalledNumber = matched.flatMap(\.limits).map { WindowLimit(attempts: $0.attempts, seconds: $0.seconds) }
            start = try store.beginAttempt(call: call, attempt: attempt, key: key, callingNumber: number, at: now,
                                           limits: callLimits)
        } catch {
            // Nothing was recorded (the transaction rolled back) and the call stays pending:
            // its slot is free again, or a database fault would leave the batch a slot short
            // for good (and a calling number with one slot dialing nothing) after each failed pass.
            releaseSlot(batch: call.batchId, number: number)
            throw error
        }
        switch start {
        case .began:
            if passHistories[call.phoneNumber] != nil { passHistories[call.phoneNumber]?.add(now.timeIntervalSince1970) }
        case .notPending:
            releaseSlot(batch: call.batchId, number: number)
            return .skipped
        case .atLimit:
            // Other nodes' calls fill the batch's or the number's slots, or used what a rate or
            // compliance limit allows: wait as for our own (the next pass reads their attempts).
            releaseSlot(batch: call.batchId, number: number)
            return .batchHeld
        case .suppressed:
            releaseSlot(batch: call.batchId, number: number)
            logger.info("not dialed: the number is on the do-not-call list",
                        metadata: ["call": "\(call.id)", "batch": "\(call.batchId)"])
            return .progressed
        }
        let cycleBase = call.cycleBase
        let request = CallRequest(
            idempotencyKey: key, batchId: call.batchId, callId: call.id, attempt: attempt,
            phoneNumber: call.phoneNumber, callingNumber: number, agentId: plan.settings.agentId,
            timezone: call.zones, variables: CallVariables.decode(call.variablesJSON))
        let backend = self.backend
        if let provider = backend as? any ProviderBackend {
            running[call.id] = Task {
                let created = await provider.create(request)
                self.created(request, created, plan: plan, zones: zones, cycleBase: cycleBase)
            }
            return .progressed
        }
        running[call.id] = Task {
            let result = await backend.place(request)
            self.ended(Ended(request: request, result: result, endedAt: self.clock.now(),
                             plan: plan, zones: zones, cycleBase: cycleBase))
        }
        return .progressed
    }

    /// What ``consider(_:at:)`` did with a due call.
    enum Considered {
        /// Ended, rescheduled, suppressed or placed.
        case progressed
        /// Left as it is (its batch's settings are unreadable, or another pass took it).
        case skipped
        /// No call of its batch can start now: a concurrency or rate limit of the batch, or of
        /// every calling number it has, is used up (``takeSlot``).
        case batchHeld
    }

    /// Waits for every call in flight to end (graceful shutdown). Calls still in flight after
    /// `limit` are cancelled: their backend kills the command or drops the request at once, and
    /// the attempt ends `failed` and is retried by the retry rules, as after a crash.
    public func drain(within limit: Duration? = nil) async {
        // Provider calls stay open across the stop: their outcomes come after the next start.
        for poll in polling.values { poll.cancel() }
        guard !running.isEmpty || !unrecorded.isEmpty else { return }
        let timer = limit.map { limit in
            Task {
                try await Task.sleep(for: limit)
                cancelInFlight(at: limit)
            }
        }
        while let (_, task) = running.first {
            await task.value
        }
        timer?.cancel()
        do {
            try recordUnrecorded()
        } catch {
            logger.error("call outcomes could not be recorded before the stop; their attempts stay open and are closed as failed at the next start (never redialed at once)",
                         metadata: ["calls": "\(unrecorded.count)", "error": "\(error)"])
        }
    }

    private func cancelInFlight(at limit: Duration) {
        guard !running.isEmpty else { return }
        logger.warning("calls still in flight at the stop time are cancelled",
                       metadata: ["calls": "\(running.count)", "stopTimeoutSeconds": "\(limit.components.seconds)"])
        for task in running.values { task.cancel() }
    }

    /// Number of calls in flight: being placed, or placed with a provider and not ended yet.
    public var inFlight: Int { running.count + open.count }
    /// `dropdial_calls_in_flight` (SPEC §8).
    let inFlightGauge = Gauge(label: MetricFamily.callsInFlight.name)

    /// An attempt that ended, with what recording it needs.
    struct Ended: Sendable {
        var request: CallRequest
        var result: CallResult
        var endedAt: Date
        var plan: BatchPlan
        var zones: [TimeZone]
        var cycleBase: Int
        /// The provider's call id, for the attempt's log line.
        var providerCallId: String?
        /// False for another node's call whose webhook came here: its slot is that node's.
        var holdsSlot = true
    }

    /// A call ended: record it, or keep it for the next pass when the database refuses the write
    /// (locked, full, read-only). Its slot stays taken and the call stays `dialing` in the store
    /// until the outcome is written, so it is never placed again meanwhile; a process that dies
    /// first leaves the attempt open, and the next start closes it as `failed` (never redialed at once).
    func ended(_ e: Ended) {
        running[e.request.callId] = nil
        inFlightGauge.record(inFlight)
        if let failure = e.result.failure {
            logger.warning("the call failed", metadata: [
                "call": "\(e.request.callId)", "batch": "\(e.request.batchId)", "attempt": "\(e.request.attempt)",
                "reason": "\(failure)",
            ])
        }
        do {
            try record(e)
        } catch {
            if unrecorded.isEmpty {
                logger.error("cannot record how a call ended; it is kept and written again on the next pass", metadata: [
                    "call": "\(e.request.callId)", "attempt": "\(e.request.attempt)", "error": "\(error)"])
            }
            unrecorded.append(e)
        }
    }

    /// Writes the outcomes kept back by a database fault, oldest first; stops at the first that fails.
    private func recordUnrecorded() throws {
        while let first = unrecorded.first {
            try record(first)
            unrecorded.removeFirst()
            if unrecorded.isEmpty { logger.notice("the kept call outcomes are recorded") }
        }
    }

    /// Outcomes waiting for the database (a fault refused their write).
    public var unrecordedCount: Int { unrecorded.count }

    /// Records how an attempt ended and schedules the next one; retry rules count the attempts of
    /// the call's current cycle (`cycleBase` were made before it). Frees the call's slot once written.
    private func record(_ e: Ended) throws {
        let request = e.request
        let outcome = e.result.outcome
        let next = e.plan.retry.next(afterAttempt: request.attempt - e.cycleBase, endedAt: e.endedAt, outcome: outcome,
                                     zones: e.zones)
        let listNumber = e.result.outcome == .declined && e.plan.settings.dncOnDecline == true
        let closed = try store.finishAttempt(callId: request.callId, attempt: request.attempt, outcome: e.result.outcome,
                                             durationSec: e.result.durationSec, endedAt: e.endedAt, next: next.map(Self.seconds),
                                             listNumber: listNumber ? request.phoneNumber : nil)
        if e.holdsSlot { releaseSlot(batch: request.batchId, number: request.callingNumber) }
        guard closed else {
            // Another node received the call's webhook and recorded its outcome first (SPEC §11).
            logger.info("the attempt's outcome was recorded by another node", metadata: [
                "call": "\(request.callId)", "attempt": "\(request.attempt)", "providerCallId": "\(e.providerCallId ?? "-")"])
            return
        }
        Counter(label: MetricFamily.attempts.name, dimensions: [("outcome", outcome.rawValue), ("backend", backend.name)])
            .increment()
        // SPEC §12: one line per attempt when it ends; the number masked.
        logger.info("attempt ended", metadata: [
            "batch": "\(request.batchId)", "call": "\(request.callId)", "attempt": "\(request.attempt)",
            "number": "\(MaskedNumber(request.phoneNumber))", "zone": "\(request.timezone)", "backend": "\(backend.name)",
            "providerCallId": "\(e.providerCallId ?? "-")", "outcome": "\(outcome.rawValue)",
            "durationSec": "\(String(format: "%.1f", e.result.durationSec))",
        ])
    }

    func plan(_ batch: Int64) throws -> BatchPlan? {
        if let hit = plans[batch] { return hit }
        if skippedBatches.contains(batch) { return nil }
        let settings: BatchSettings
        do {
            guard let found = try store.settings(batch: batch) else { return nil }
            settings = found
        } catch let unreadable as StoredSettingsUnreadable {
            skippedBatches.insert(batch)
            logger.error("\(unreadable)", metadata: ["batch": "\(batch)"])
            return nil
        }
        let plan = BatchPlan(settings: settings, retriedOutcomes: retriedOutcomes)
        // Bounded: a daemon that has seen 10,000 batches does not keep 10,000 plans; a plan is
        // rebuilt from the store when its batch comes due again.
        if plans.count >= Self.planCacheLimit { plans.removeAll() }
        plans[batch] = plan
        return plan
    }

    /// The number's attempts that the matched rules' limits may count (none without limits).
    /// The compliance rules each of `due` matches, and the attempt history of every number a
    /// matched limit counts, read in one statement for the whole pass; an attempt this pass
    /// begins is added to its number's history, so a later call to the same number sees it.
    private func prefetchHistories(_ due: [DueCall], at now: Date) throws {
        passMatches = [:]
        passHistories = [:]
        guard !compliance.isEmpty else { return }
        var longest = 0.0, numbers: [String] = []
        for call in due {
            let matched = compliance.matching(e164: call.phoneNumber, variablesJSON: call.variablesJSON)
            passMatches[call.id] = matched
            let limits = matched.flatMap(\.limits)
            if let l = limits.map(\.seconds).max() {
                longest = max(longest, l)
                numbers.append(call.phoneNumber)
            }
        }
        guard !numbers.isEmpty else { return }
        let starts = try store.attemptStarts(phoneNumbers: numbers, since: now.addingTimeInterval(-longest))
        for number in numbers {
            passHistories[number] = AttemptHistory((starts[number] ?? []).map(\.timeIntervalSince1970))
        }
    }

    /// A free slot under the concurrency and rate limits: the next calling number in rotation with
    /// capacity and a token, or nil (the call waits; ``heldUntil`` says until when the rate limits
    /// hold it). A batch without calling numbers dials with none (the backend's default caller id).
    private func takeSlot(batch: Int64, numbers: [String], at now: Date) -> String?? {
        if limits.perBatch > 0, inFlightByBatch[batch, default: 0] >= limits.perBatch { return nil }
        let t = now.timeIntervalSince1970
        let batchReady = rates.availableAt(batch: batch)
        if batchReady > t { return hold(until: batchReady) }
        var chosen: String?
        if !numbers.isEmpty {
            let start = rotation[batch, default: 0]
            let order = (0..<numbers.count).map { (start + $0) % numbers.count }
            let free = order.filter { limits.perNumber == 0 || inFlightByNumber[numbers[$0], default: 0] < limits.perNumber }
            guard !free.isEmpty else { return nil }
            guard let i = free.first(where: { rates.availableAt(number: numbers[$0]) <= t }) else {
                return hold(until: free.map { rates.availableAt(number: numbers[$0]) }.min()!)
            }
            rotation[batch] = i + 1
            chosen = numbers[i]
            inFlightByNumber[numbers[i], default: 0] += 1
        }
        rates.take(batch: batch, number: chosen, at: t)
        inFlightByBatch[batch, default: 0] += 1
        return .some(chosen)
    }

    private func hold(until t: Double) -> String?? {
        let at = Date(timeIntervalSince1970: t)
        heldUntil = min(heldUntil ?? at, at)
        return nil
    }

    func releaseSlot(batch: Int64, number: String?) {
        inFlightByBatch[batch, default: 1] -= 1
        if inFlightByBatch[batch] == 0 { inFlightByBatch[batch] = nil }
        if let number {
            inFlightByNumber[number, default: 1] -= 1
            if inFlightByNumber[number] == 0 { inFlightByNumber[number] = nil }
        }
    }

    /// How many batch plans are kept at most.
    static let planCacheLimit = 1024

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.up)) }


}
