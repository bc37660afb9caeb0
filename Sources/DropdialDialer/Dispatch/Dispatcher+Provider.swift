import DropdialBase
import DropdialConfig
import DropdialStore
import Foundation

/// A provider call placed and waiting for its outcome (SPEC §9). Its slot stays taken until then.
struct OpenCall: Sendable {
    var request: CallRequest
    var plan: BatchPlan
    var zones: [TimeZone]
    var cycleBase: Int
    var placedAt: Date
    /// When to ask the provider next: `outcome_timeout_seconds` after the call was placed, then
    /// every `poll_interval_seconds`.
    var nextPoll: Date
}

/// How a webhook was taken (`dropdial_webhooks_total`'s `result`).
public enum WebhookOutcome: Sendable, Equatable {
    case accepted, duplicate, unknownCall
    case rejected(String)

    public var label: String {
        switch self {
        case .accepted: "accepted"
        case .duplicate: "duplicate"
        case .unknownCall: "unknown_call"
        case .rejected: "rejected"
        }
    }
}

/// The provider backends' lifecycle: create, then the outcome from a webhook or a poll, exactly
/// once per attempt, however many events come and in whatever order.
extension Dispatcher {
    /// How many early webhooks are kept for calls whose create reply has not come yet.
    static let earlyLimit = 10_000

    /// The create request's answer for an attempt recorded as begun.
    func created(_ request: CallRequest, _ result: CreateResult, plan: BatchPlan, zones: [TimeZone], cycleBase: Int) {
        let now = clock.now()
        switch result {
        case .placed(let id):
            running[request.callId] = nil
            do {
                try store.setProviderCallId(id, callId: request.callId, attempt: request.attempt)
            } catch {
                logger.error("the provider's call id cannot be stored; its outcome is still taken while the dialer runs",
                             metadata: ["call": "\(request.callId)", "providerCallId": "\(id)", "error": "\(error)"])
            }
            let call = OpenCall(request: request, plan: plan, zones: zones, cycleBase: cycleBase, placedAt: now,
                                nextPoll: now.addingTimeInterval(timing.outcomeTimeoutSeconds))
            if let result = early.removeValue(forKey: id) {
                finish(call, result, providerCallId: id, at: now)
                return
            }
            open[id] = call
            inFlightGauge.record(inFlight)
        case .throttled(let after):
            running[request.callId] = nil
            do {
                try store.withdrawAttempt(callId: request.callId, attempt: request.attempt,
                                          due: Self.seconds(now.addingTimeInterval(after)))
                releaseSlot(batch: request.batchId, number: request.callingNumber)
                logger.notice("the provider is throttling calls (429): nothing was placed, the call is due again after Retry-After",
                              metadata: ["call": "\(request.callId)", "retryAfterSeconds": "\(after)"])
            } catch {
                ended(Ended(request: request, result: .failed("429, and the attempt could not be withdrawn: \(error)"),
                            endedAt: now, plan: plan, zones: zones, cycleBase: cycleBase))
            }
        case .ended(let result):
            ended(Ended(request: request, result: result, endedAt: now, plan: plan, zones: zones, cycleBase: cycleBase))
        }
    }

    /// A webhook's final event for `id`: recorded when its attempt is open, else changes nothing.
    public func providerEvent(providerCallId id: String, result: CallResult) -> WebhookOutcome {
        if let call = open.removeValue(forKey: id) {
            polling.removeValue(forKey: id)?.cancel()
            finish(call, result, providerCallId: id, at: clock.now())
            return .accepted
        }
        // Another node's call (SPEC §11: webhooks are taken by whichever node receives them): its
        // open attempt is in the store; recorded here, and that node's later poll finds it closed.
        if let a = try? store.openProviderAttempt(id), let plan = try? plan(a.batchId) {
            ended(Ended(request: Self.request(a, plan: plan), result: result, endedAt: clock.now(), plan: plan,
                        zones: zoneCache.zones(a.zones), cycleBase: a.cycleBase, providerCallId: id, holdsSlot: false))
            return .accepted
        }
        if (try? store.hasProviderCall(id)) == true { return .duplicate }
        // The create reply may still be on its way: keep the event for it (a few, never many).
        if running.isEmpty == false, early.count < Self.earlyLimit { early[id] = result }
        logger.notice("a webhook for a call id dropdial does not know; acknowledged", metadata: ["providerCallId": "\(id)"])
        return .unknownCall
    }

    func finish(_ call: OpenCall, _ result: CallResult, providerCallId: String, at now: Date) {
        ended(Ended(request: call.request, result: result, endedAt: now, plan: call.plan, zones: call.zones,
                    cycleBase: call.cycleBase, providerCallId: providerCallId))
    }

    /// Polls the open calls whose outcome is late (SPEC §9), one poll per call at a time; closes
    /// as `failed` those still not final `max_call_seconds` after they were placed.
    func pollDue(at now: Date) {
        guard let provider = backend as? any ProviderBackend, !open.isEmpty else { return }
        let due = open.filter { polling[$0.key] == nil && $0.value.nextPoll <= now }
        for (id, call) in due {
            if now.timeIntervalSince(call.placedAt) >= timing.maxCallSeconds {
                open[id] = nil
                finish(call, .failed("no final status \(Int(timing.maxCallSeconds)) s after the call was placed (max_call_seconds)"),
                       providerCallId: id, at: now)
                continue
            }
            polling[id] = Task {
                let result = await provider.poll(providerCallId: id)
                self.polled(id, result)
            }
        }
    }

    func polled(_ id: String, _ result: PollResult) {
        polling[id] = nil
        guard var call = open[id] else { return }
        let now = clock.now()
        switch result {
        case .final(let outcome):
            open[id] = nil
            finish(call, outcome, providerCallId: id, at: now)
        case .pending(let reason):
            call.nextPoll = now.addingTimeInterval(timing.pollIntervalSeconds)
            open[id] = call
            if let reason {
                logger.warning("the provider's call could not be read", metadata: ["providerCallId": "\(id)", "reason": "\(reason)"])
            }
        }
    }

    /// Waits for the polls in flight to be answered and taken (tests on a virtual clock).
    func settlePolls() async {
        while let task = polling.values.first {
            await task.value
        }
    }

    /// The request an open provider attempt was placed with (its variables are not needed again).
    static func request(_ a: ProviderAttempt, plan: BatchPlan) -> CallRequest {
        CallRequest(idempotencyKey: CallRequest.key(batch: a.batchId, call: a.callId, attempt: a.attempt), batchId: a.batchId,
                    callId: a.callId, attempt: a.attempt, phoneNumber: a.phoneNumber, callingNumber: a.callingNumber,
                    agentId: plan.settings.agentId, timezone: a.zones, variables: [:])
    }

    /// At a start: the attempts a provider accepted before the stop (or crash) are open again,
    /// holding their slots; their outcomes come by webhook, or by the poll once late.
    func reopenProviderCalls(at now: Date) throws {
        guard backend is any ProviderBackend else { return }
        var reopened = 0
        for a in try store.openProviderAttempts() where open[a.providerCallId] == nil {
            guard let plan = try plan(a.batchId) else { continue }
            reopened += 1
            let request = Self.request(a, plan: plan)
            inFlightByBatch[a.batchId, default: 0] += 1
            if let number = a.callingNumber { inFlightByNumber[number, default: 0] += 1 }
            open[a.providerCallId] = OpenCall(
                request: request, plan: plan, zones: zoneCache.zones(a.zones), cycleBase: a.cycleBase, placedAt: a.startedAt,
                nextPoll: max(now, a.startedAt.addingTimeInterval(timing.outcomeTimeoutSeconds)))
        }
        if reopened > 0 { logger.notice("provider calls still open from before the start", metadata: ["calls": "\(reopened)"]) }
    }
}
