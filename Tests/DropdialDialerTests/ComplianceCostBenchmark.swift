import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import DropdialTestKit
import Foundation
import Logging
import Testing

/// The compliance check's cost per due-call pass (issue: place real calls), on a database the
/// release binary imported (`bench/providers.sh` makes one with 1M pending calls and sets
/// `DROPDIAL_BENCH_DB`): the same passes of 512 due calls, on copies of the same database, with
/// no rules, with the shipped rule files, and with a 3-per-24-hours limit on every US number
/// (one attempt-history lookup per call). Prints medians; the ratios are the figure.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["DROPDIAL_BENCH_DB"] != nil))
struct ComplianceCostBenchmark {
    static let contrib = Binary.repo.appendingPathComponent("contrib/compliance")

    func rules(_ files: [String], extra: String = "") throws -> [ComplianceRule] {
        let text = try files.map { try String(contentsOf: Self.contrib.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n") + extra
        return try DropdialConfig.parse(text).compliance
    }

    /// Median milliseconds of `passes` passes of 512 due calls, and how many calls they placed.
    func measure(_ source: Store, _ rules: [ComplianceRule], passes: Int = 7) async throws -> (Double, Int) {
        let store = try Scratch.copy(of: source, "bench")
        // The next Tuesday, 18:00Z: 13:00 in New York, 10:00 in Los Angeles; every call is due.
        var day = Date().addingTimeInterval(86_400)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        while cal.component(.weekday, from: day) != 3 { day = day.addingTimeInterval(86_400) }
        let clock = VirtualClock(start: cal.date(bySettingHour: 18, minute: 0, second: 0, of: day)!)
        let dispatcher = Dispatcher(store: store, backend: SimulatedBackend(mode: .fixed(.completed), durationSec: 0),
                                    clock: clock, limits: .unlimited, retriedOutcomes: [], compliance: ComplianceRules(rules),
                                    logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        var times: [Double] = [], placed = 0
        for _ in 0..<passes {
            let start = DispatchTime.now().uptimeNanoseconds
            placed += try await dispatcher.pass(batchSize: 512)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            await dispatcher.drain()
        }
        return (times.sorted()[times.count / 2], placed)
    }

    @Test func complianceCheckCostPerPass() async throws {
        let path = try #require(ProcessInfo.processInfo.environment["DROPDIAL_BENCH_DB"])
        let source = try Store(path: path)
        let pending = try source.dueCount(now: Int64.max)
        let everyUS = """

            [[compliance]]
            name = "US-limit-all"
            countries = ["US"]
            limits = [{ attempts = 3, hours = 24 }]
            """
        let configs: [(String, [ComplianceRule])] = [
            ("no rules", []),
            ("us-states + canada + france", try rules(["us-states.toml", "canada.toml", "france.toml"])),
            ("the same + a limit on every US number", try rules(["us-states.toml", "canada.toml", "france.toml"], extra: everyUS)),
        ]
        // The anchor: the due-call selection itself (Store.dueCalls, 512 rows), on the same database.
        var selection: [Double] = []
        for _ in 0..<21 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try source.dueCalls(now: Int64.max / 2, limit: 512)
            selection.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let select = selection.sorted()[selection.count / 2]
        print(String(format: "compliance cost: due-call selection of 512 with %d pending: median %.2f ms", pending, select))
        var baseline = 0.0
        for (label, rules) in configs {
            let (ms, placed) = try await measure(source, rules)
            if rules.isEmpty { baseline = ms }
            print(String(format: "compliance cost: %@ (%d rules), %d pending: median pass of 512 due calls %.1f ms (%.1f us/call), %.2fx no rules, extra %.1f ms = %.2fx the selection, placed %d",
                         label, rules.count, pending, ms, ms * 1000 / 512, ms / baseline, ms - baseline, (ms - baseline) / select, placed))
            #expect(placed > 0)
        }
    }
}

import DropdialImport

@Suite(.enabled(if: ProcessInfo.processInfo.environment["DROPDIAL_BENCH_DB"] != nil))
struct ComplianceCostParts {
    @Test func parts() throws {
        let source = try Store(path: ProcessInfo.processInfo.environment["DROPDIAL_BENCH_DB"]!)
        let due = try source.dueCalls(now: Int64.max / 2, limit: 512)
        func time(_ label: String, _ body: () -> Void) {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<5 { body() }
            print(String(format: "part %@: %.1f ms per 512", label, Double(DispatchTime.now().uptimeNanoseconds - start) / 5e6))
        }
        time("region") { for c in due { _ = PhoneNumbers.region(ofE164: c.phoneNumber) } }
        time("facts without region") { for c in due { _ = ContactFacts.of(e164: c.phoneNumber, variables: [:], needRegion: false) } }
        time("variables") { for c in due { _ = CallVariables.decode(c.variablesJSON) } }
        let rules = ComplianceRules([ComplianceRule(name: "x", countries: ["US"], states: ["FL"],
            windows: [.init(days: [1, 2, 3, 4, 5, 6, 7], start: LocalTime("08:00")!, end: LocalTime("20:00")!)])])
        let facts = due.map { rules.facts(e164: $0.phoneNumber, variablesJSON: $0.variablesJSON) }
        time("matching") { for f in facts { _ = rules.matching(f) } }
        let batch = CallingRules(allowedDays: [1, 2, 3, 4, 5], callingWindow: .officeHours)
        let ny = [TimeZone(identifier: "America/New_York")!]
        let now = Date()
        time("decision no rules") { for _ in due { _ = DueDecision.of(batch, at: now, zones: ny) } }
        time("decision one window rule") { for _ in due { _ = DueDecision.of(batch, at: now, zones: ny, compliance: rules.rules) } }
    }
}
