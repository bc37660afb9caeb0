import DropdialBase
import DropdialConfig
@testable import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// The hand-written batch-details JSON is `JSONStyle.encoder()`'s output byte for byte: on a
/// stored batch (attempts, durations, an in-flight attempt, settings with a smart callback) and
/// on texts and keys chosen to trip an encoder up.
@Suite struct BatchDetailsJSONTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)

    @Test func aStoredBatchIsWrittenAsFoundationWritesIt() throws {
        let store = try Scratch.store("json")
        var settings = BatchSettings(batchName: "May \"A\"/B", agentId: "agent_1", callingNumbers: ["+14155550100"],
                                     scheduledAt: t0, smartCallbackConfig: SmartCallbackConfig(
                                        enabled: true, maxAttempts: 3, gaps: [CallbackGap(days: 0, hours: 2)]),
                                     holidays: ["2027-01-01"])
        settings.allowedDays = [1, 7]
        let batch = try importBatch(store, [
            Contact(phone: "+14155550001", variables: #"{"b":"x","A":"é\n\t\"\\/","a10":"1","a2":"","Z_":"😀"}"#),
            Contact(phone: "+14155550002", variables: "{}"),
            Contact(phone: "+14155550003"),
        ], settings: settings, at: t0)
        let due = try store.dueCalls(now: .max, limit: 10)
        for (i, call) in due.prefix(2).enumerated() {
            #expect(try store.beginAttempt(call: call, attempt: 1, key: "k\(i)", callingNumber: i == 0 ? "+14155550100" : nil,
                                           at: t0) == .began)
        }
        try store.finishAttempt(callId: due[0].id, attempt: 1, outcome: .noAnswer, durationSec: 12.5, endedAt: t0, next: nil)
        for query in [try CallQuery(), try CallQuery(page: 2, limit: 2), try CallQuery(page: 9, limit: 2)] {
            let details = try store.batchDetails(batch, query)
            #expect(details.prettyJSON() == (try JSONStyle.text(details)))
        }
    }

    @Test func oddTextsKeysAndNumbersMatch() throws {
        var details = BatchDetails(id: 7, name: "\u{1}\u{8}\u{c}\u{1f}<>&'\u{2028}", status: "active", inbox: "in/box",
                                   createdAt: t0, settings: nil, page: 1, limit: 10, total: 0, totalPages: 0, calls: [])
        #expect(details.prettyJSON() == (try JSONStyle.text(details)), "\(details.prettyJSON().debugDescription)\n\((try? JSONStyle.text(details))!.debugDescription)")
        let keys = ["b", "B", "a", "a10", "a2", "Z", "é", "_x", "a b", "a-b", "aa", "ab", "A1"]
        details.calls = [CallDetail(
            id: 1, phoneNumber: "+1", variables: Dictionary(uniqueKeysWithValues: keys.map { ($0, $0) }), timezone: "UTC",
            status: "done", attempts: 2, nextAttemptAt: nil, lastOutcome: "completed", createdAt: t0,
            phoneLogs: [0, 1, 0.1, 12.5, 1e20, 123456789.125, -3].enumerated().map { i, d in
                PhoneLog(attempt: i + 1, at: t0, outcome: nil, durationSec: d, callingNumber: nil)
            })]
        #expect(details.prettyJSON() == (try JSONStyle.text(details)), "\(details.prettyJSON().debugDescription)\n\((try? JSONStyle.text(details))!.debugDescription)")
    }
}
