import DropdialBase
import DropdialConfig
@testable import DropdialDialer
import DropdialImport
import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// SPEC §9 compliance rules on a virtual clock: every instant is derived by hand from the rule
/// texts, and `simulate` is held to the real dispatcher on the same store.
@Suite struct ComplianceTests {
    static let florida = ComplianceRule(
        name: "FL", countries: ["US"], states: ["FL"],
        windows: [.init(days: everyDay, start: LocalTime("08:00")!, end: LocalTime("20:00")!)],
        limits: [.init(attempts: 3, hours: 24)])
    static let washington = ComplianceRule(
        name: "WA", countries: ["US"], states: ["WA"],
        windows: [.init(days: everyDay, start: LocalTime("08:00")!, end: LocalTime("20:00")!)])
    static let canada = ComplianceRule(
        name: "CA", countries: ["CA"],
        windows: [.init(days: mondayToFriday, start: LocalTime("09:00")!, end: LocalTime("21:30")!),
                  .init(days: [6, 7], start: LocalTime("10:00")!, end: LocalTime("18:00")!)])
    static let france = ComplianceRule(
        name: "FR", countries: ["FR"],
        windows: [.init(days: mondayToFriday, start: LocalTime("10:00")!, end: LocalTime("13:00")!),
                  .init(days: mondayToFriday, start: LocalTime("14:00")!, end: LocalTime("20:00")!)],
        limits: [.init(attempts: 4, hours: 30 * 24)])

    /// Every day 08:00–21:00 (the guard's hours), retried hourly up to 8 times on `busy`.
    var hourly: BatchSettings {
        var s = BatchSettings(callingWindow: window("08:00", "21:00"), allowedDays: everyDay)
        s.retry = RetryPolicy(count: 8, intervalMinutes: 60)
        return s
    }

    /// Monday 2026-11-23 00:00 in New York (05:00Z): the simulations start here.
    let mondayNewYork = fixtureMonday.addingTimeInterval(5 * 3600)

    func run(_ store: Store, _ rules: [ComplianceRule], outcome: CallOutcome = .busy, until: Date,
             rates: RateLimits = .unlimited) async throws -> [AttemptEvent] {
        let backend = SimulatedBackend(mode: .fixed(outcome), durationSec: 0)
        let compliance = ComplianceRules(rules)
        var events: [AttemptEvent] = []
        _ = try Simulation.run(store: store, backend: backend, start: mondayNewYork, until: until,
                               retriedOutcomes: [.busy], compliance: compliance, rateLimits: rates,
                               onAttempt: { events.append($0) })
        let reference = try await DispatcherLoop.run(store: store, backend: backend, start: mondayNewYork, until: until,
                                                     retriedOutcomes: [.busy], compliance: compliance, rateLimits: rates)
        #expect(events == reference, "simulate agrees with the dispatcher")
        return events
    }

    /// At most `n` attempts in any `hours` hours: checked at every attempt, the only instants a count rises.
    func atMost(_ n: Int, in hours: Double, _ events: [AttemptEvent]) -> Bool {
        let times = events.compactMap { Timestamp.parse($0.at)?.timeIntervalSince1970 }
        return times.allSatisfy { t in times.filter { $0 <= t && t < $0 + hours * 3600 }.count <= n }
    }

    func localTimes(_ events: [AttemptEvent], _ zone: TimeZone) -> [String] {
        let f = DateFormatter()
        f.timeZone = zone
        f.dateFormat = "EEE HH:mm"
        f.locale = Locale(identifier: "en_US_POSIX")
        return events.compactMap { Timestamp.parse($0.at).map(f.string) }
    }

    @Test func floridaIsHeldToEightToEightAndThreeCallsADayAcrossTwoBatches() async throws {
        let s = try Scratch.store("fl")
        // The same Miami number (area code 305) in two batches, each retried hourly on busy.
        try importBatch(s, phones: ["+13055550100"], settings: hourly, name: "a", at: mondayNewYork)
        try importBatch(s, phones: ["+13055550100"], settings: hourly, name: "b", at: mondayNewYork)
        let events = try await run(s, [Self.florida], until: mondayNewYork.addingTimeInterval(3 * 86_400))
        // Monday 08:00 EST = 13:00Z: both batches dial; a's retry at 09:00 is the third call of
        // the day. b's retry (due 09:00) and a's next (due 10:00) wait until Monday's first two
        // attempts turn 24 hours old (Tuesday 08:00), then go in due order; a's retry after
        // that comes when Monday 09:00's attempt stops counting.
        #expect(events.prefix(6).map { "\($0.batchId) \($0.at)" } == [
            "1 2026-11-23T13:00:00Z", "2 2026-11-23T13:00:00Z", "1 2026-11-23T14:00:00Z",
            "1 2026-11-24T13:00:00Z", "2 2026-11-24T13:00:00Z", "1 2026-11-24T14:00:00Z",
        ])
        #expect(atMost(3, in: 24, events))
        let hours = localTimes(events, newYork).map { $0.suffix(5) }
        #expect(hours.allSatisfy { $0 >= "08:00" && $0 < "20:00" }, "\(hours)")
        // Without the rule the two batches would call 18 times in the three days' first hours.
        let free = try await run(s, [], until: mondayNewYork.addingTimeInterval(3 * 86_400))
        #expect(free.count > events.count && !atMost(3, in: 24, free))
    }

    @Test func floridaClosesAtEightPMWhereTheBatchWouldCallUntilNine() throws {
        let rules = CallingRules(allowedDays: everyDay, callingWindow: window("08:00", "21:00"))
        let fl = ComplianceRules([Self.florida]).rules
        // Monday 20:30 EST = Tuesday 01:30Z: the batch allows it, Florida does not until 08:00.
        let at = utc("2026-11-24T01:30:00Z")
        #expect(rules.nextEligible(atOrAfter: at, zones: [newYork]) == at)
        #expect(rules.nextEligible(atOrAfter: at, zones: [newYork], compliance: fl, history: .empty)
            == utc("2026-11-24T13:00:00Z"))
    }

    @Test func aStateColumnAddsItsRuleAndOverridesNothing() async throws {
        let rules = ComplianceRules([Self.florida, Self.washington])
        // A Seattle number (206) whose row says FL: Washington's rule still holds, Florida's is added.
        let seattle = ContactFacts.of(e164: "+12065550100", variables: ["State": " fl "])
        #expect(seattle.areaStates == ["WA"] && seattle.rowState == "FL" && seattle.region == "US")
        #expect(rules.matching(seattle).map(\.name) == ["FL", "WA"])
        #expect(rules.matching(ContactFacts.of(e164: "+12065550100", variables: [:])).map(\.name) == ["WA"])
        // A state column means nothing on a number outside the NANP.
        #expect(rules.matching(ContactFacts.of(e164: "+33612345678", variables: ["state": "FL"])).isEmpty)

        // End to end through the store: the row's column brings Florida's limit to a New York number.
        let s = try Scratch.store("state")
        try importBatch(s, [Contact(phone: "+12125550100", variables: #"{"state":"FL"}"#)], settings: hourly,
                        at: mondayNewYork)
        let events = try await run(s, [Self.florida], until: mondayNewYork.addingTimeInterval(86_400))
        #expect(events.map(\.at) == ["2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z", "2026-11-23T15:00:00Z"])
    }

    @Test func canadaKeepsWeekendHours() throws {
        let rules = CallingRules(allowedDays: everyDay, callingWindow: window("08:00", "21:00"))
        let ca = ComplianceRules([Self.canada]).rules
        let toronto = zone("America/Toronto")
        #expect(ComplianceRules([Self.canada]).matching(ContactFacts.of(e164: "+14165550100", variables: [:])).count == 1)
        // Saturday 2026-11-28 08:00 EST (13:00Z): weekends open at 10:00.
        #expect(rules.nextEligible(atOrAfter: utc("2026-11-28T13:00:00Z"), zones: [toronto], compliance: ca, history: .empty)
            == utc("2026-11-28T15:00:00Z"))
        // Saturday 18:30: closed until Sunday 10:00.
        #expect(rules.nextEligible(atOrAfter: utc("2026-11-28T23:30:00Z"), zones: [toronto], compliance: ca, history: .empty)
            == utc("2026-11-29T15:00:00Z"))
        // Friday 08:30: weekdays open at 09:00; Friday 21:00 is inside 21:30 but past the guard's 21:00.
        #expect(rules.nextEligible(atOrAfter: utc("2026-11-27T13:30:00Z"), zones: [toronto], compliance: ca, history: .empty)
            == utc("2026-11-27T14:00:00Z"))
        // DST: Sunday 2027-03-14, the spring-forward day; 10:00 EDT is 14:00Z, not 15:00Z.
        #expect(rules.nextEligible(atOrAfter: utc("2027-03-14T05:00:00Z"), zones: [toronto], compliance: ca, history: .empty)
            == utc("2027-03-14T14:00:00Z"))
        // Autumn: Sunday 2026-11-01, fall-back day; 10:00 EST is 15:00Z.
        #expect(rules.nextEligible(atOrAfter: utc("2026-11-01T05:00:00Z"), zones: [toronto], compliance: ca, history: .empty)
            == utc("2026-11-01T15:00:00Z"))
    }

    @Test func franceSkipsLunchAndCountsThirtyDaysOfElapsedTime() throws {
        let rules = CallingRules(allowedDays: everyDay, callingWindow: window("08:00", "21:00"))
        let fr = ComplianceRules([Self.france]).rules
        let paris = zone("Europe/Paris")
        // Tuesday 2026-11-24 13:30 CET (12:30Z): the lunch gap, open again at 14:00.
        #expect(rules.nextEligible(atOrAfter: utc("2026-11-24T12:30:00Z"), zones: [paris], compliance: fr, history: .empty)
            == utc("2026-11-24T13:00:00Z"))
        // Saturday: no calls until Monday 10:00.
        #expect(rules.nextEligible(atOrAfter: utc("2026-11-28T10:00:00Z"), zones: [paris], compliance: fr, history: .empty)
            == utc("2026-11-30T09:00:00Z"))
        // Four attempts in March 2027, the first Monday 1 March 10:00 CET (09:00Z): the fifth
        // waits 720 hours after it, Wednesday 31 March 09:00Z, which is 11:00 CEST after the
        // clocks went forward on 28 March, not 10:00.
        let history = AttemptHistory(["2027-03-01T09:00:00Z", "2027-03-02T09:00:00Z", "2027-03-03T09:00:00Z",
                                      "2027-03-04T09:00:00Z"].map { utc($0).timeIntervalSince1970 })
        #expect(rules.nextEligible(atOrAfter: utc("2027-03-05T09:00:00Z"), zones: [paris], compliance: fr, history: history)
            == utc("2027-03-31T09:00:00Z"))
        // On the DST day itself (Sunday) nothing; Monday 29 March opens at 10:00 CEST = 08:00Z.
        #expect(rules.nextEligible(atOrAfter: utc("2027-03-28T00:00:00Z"), zones: [paris], compliance: fr, history: .empty)
            == utc("2027-03-29T08:00:00Z"))
    }

    @Test func floridaOnTheSpringForwardDay() throws {
        let rules = CallingRules(allowedDays: everyDay, callingWindow: window("08:00", "21:00"))
        let fl = ComplianceRules([Self.florida]).rules
        // Sunday 2027-03-14: 08:00 EDT = 12:00Z; 20:00 EDT = 00:00Z closes it.
        #expect(rules.nextEligible(atOrAfter: utc("2027-03-14T05:00:00Z"), zones: [newYork], compliance: fl, history: .empty)
            == utc("2027-03-14T12:00:00Z"))
        #expect(rules.nextEligible(atOrAfter: utc("2027-03-15T00:00:00Z"), zones: [newYork], compliance: fl, history: .empty)
            == utc("2027-03-15T12:00:00Z"))
        // Three attempts Saturday 08:00–10:00 EST: the fourth is due 24 elapsed hours after the
        // first, Sunday 13:00Z, which is 09:00 EDT on the short day.
        let history = AttemptHistory(["2027-03-13T13:00:00Z", "2027-03-13T14:00:00Z", "2027-03-13T15:00:00Z"]
            .map { utc($0).timeIntervalSince1970 })
        #expect(rules.nextEligible(atOrAfter: utc("2027-03-13T16:00:00Z"), zones: [newYork], compliance: fl, history: history)
            == utc("2027-03-14T13:00:00Z"))
    }

    @Test func aRuleMatchesOnlyWhenEveryKeyHolds() {
        let both = ComplianceRules([Self.florida])
        #expect(both.matching(ContactFacts.of(e164: "+13055550100", variables: [:])).count == 1)
        // A Toronto number is not in the US; a Maryland number is not in Florida.
        #expect(both.matching(ContactFacts.of(e164: "+14165550100", variables: [:])).isEmpty)
        #expect(both.matching(ContactFacts.of(e164: "+12275550100", variables: [:])).isEmpty)
        #expect(ContactFacts.of(e164: "+12275550100", variables: [:]).areaStates == ["MD"])
        #expect(ContactFacts.of(e164: "+19025550100", variables: [:]).areaStates == ["NS", "PE"])
        #expect(ContactFacts.of(e164: "+18005550100", variables: [:]).areaStates.isEmpty)
    }
}
