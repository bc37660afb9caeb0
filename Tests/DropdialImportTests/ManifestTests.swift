import DropdialTestKit
import DropdialConfig
@testable import DropdialImport
import Foundation
import Testing

@Suite struct ManifestTests {
    func parse(_ json: String) throws(Manifest.Invalid) -> Manifest {
        try Manifest(json: Data(json.utf8))
    }

    func field(_ json: String) -> String? { refusedManifestField(json) }

    @Test func everySeedFieldApplies() throws {
        let m = try parse("""
            {"batchName":"May","scheduledAt":"2026-05-01T09:00:00+02:00","timezone":"Europe/Berlin",
             "callingWindow":{"start":"10:00","end":"16:30"},"allowedDays":[1,3,7],
             "retry":{"count":2,"intervalMinutes":30},
             "smartCallbackConfig":{"enabled":true,"maxAttempts":4,"gaps":[{"days":1,"hours":0},{"days":0,"hours":4}]},
             "holidays":["2026-12-25"]}
            """)
        var s = BatchSettings()
        m.apply(to: &s)
        #expect(s.batchName == "May")
        #expect(s.scheduledAt == Date(timeIntervalSince1970: 1_777_618_800))
        #expect(s.timezone == "Europe/Berlin")
        #expect(s.callingWindow == CallingWindow(start: LocalTime(minutes: 600), end: LocalTime(minutes: 990)))
        #expect(s.allowedDays == [1, 3, 7])
        #expect(s.retry == RetryPolicy(count: 2, intervalMinutes: 30))
        #expect(s.smartCallbackConfig?.gaps == [CallbackGap(days: 1, hours: 0), CallbackGap(days: 0, hours: 4)])
        #expect(s.holidays == ["2026-12-25"])
    }

    @Test func scheduledAtWithoutDesignatorIsUTC() throws {
        #expect(try parse(#"{"scheduledAt":"2026-05-01T09:00:00"}"#).scheduledAt == Date(timeIntervalSince1970: 1_777_626_000))
        #expect(try parse(#"{"scheduledAt":"2026-05-01T09:00:00Z"}"#).scheduledAt == Date(timeIntervalSince1970: 1_777_626_000))
    }

    @Test func eachBadFieldIsNamed() {
        #expect(field("[1]") == "<root>")
        #expect(field(#"{"batchNmae":"x"}"#) == "batchNmae")
        #expect(field(#"{"batchName":""}"#) == "batchName")
        #expect(field(#"{"batchName":3}"#) == "batchName")
        #expect(field(#"{"scheduledAt":"tomorrow"}"#) == "scheduledAt")
        #expect(field(#"{"timezone":"Mars/Olympus"}"#) == "timezone")
        #expect(field(#"{"callingWindow":{"start":"9am","end":"17:00"}}"#) == "callingWindow.start")
        #expect(field(#"{"callingWindow":{"start":"17:00","end":"09:00"}}"#) == "callingWindow")
        #expect(field(#"{"callingWindow":{"start":"09:00"}}"#) == "callingWindow")
        #expect(field(#"{"allowedDays":[1,8]}"#) == "allowedDays")
        #expect(field(#"{"allowedDays":[]}"#) == "allowedDays")
        #expect(field(#"{"allowedDays":[true]}"#) == "allowedDays")
        #expect(field(#"{"retry":{"count":-1,"intervalMinutes":5}}"#) == "retry")
        #expect(field(#"{"retry":{"count":"3"}}"#) == "retry.count")
        #expect(field(#"{"smartCallbackConfig":{"enabled":"yes","maxAttempts":3}}"#) == "smartCallbackConfig.enabled")
        #expect(field(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":0,"gaps":[{"days":1}]}}"#) == "smartCallbackConfig")
        #expect(field(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":3,"gaps":[]}}"#) == "smartCallbackConfig")
        #expect(field(#"{"holidays":["2026-02-30"]}"#) == "holidays")
    }

    /// Fuzz finding: ICU's date parser died of SIGFPE on a 40-digit fraction, taking the daemon
    /// with it; now such text is refused before ICU sees it.
    @Test func scheduledAtWithAHugeFractionIsRefusedNotACrash() {
        let digits = String(repeating: "6", count: 78)
        #expect(field(#"{"scheduledAt": "2026-05-01T9:00:00.250\#(digits)Z"}"#) == "scheduledAt")
        #expect(field(#"{"scheduledAt": "2026-05-01T09:00:00.\#(digits)"}"#) == "scheduledAt")
        #expect(field(#"{"scheduledAt": "2026-05-01T09:00:00.1234567890Z"}"#) == "scheduledAt")
        #expect(field(#"{"scheduledAt": "2026-05-01T09:00:00.123456789Z"}"#) == nil)
        #expect(field(#"{"scheduledAt": "2026-05-01T09:00:00.250Z"}"#) == nil)
    }

    @Test func manifestPathBesideTheDataFile() {
        #expect(Manifest.path(forDataFile: "/in/contacts.csv") == "/in/contacts.batch.json")
        #expect(Manifest.path(forDataFile: "/in/May list.XLSX") == "/in/May list.batch.json")
    }
}

@Suite struct ReportFileTests {
    /// The hand-written JSON decodes back to the same report, escapes included.
    @Test func encodeDecodeRoundTrip() throws {
        var r = ImportReport(file: "a \"b\".csv", sha256: "ab", inbox: "in", policy: "skip",
                             startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        r.status = .rejected
        r.format = "csv"
        r.error = "line\nbreak"
        r.errorCode = "invalid_rows"
        r.counts.rows = 3
        r.counts.invalid = 2
        r.errors = [RowIssue(row: 2, column: "phone", value: "x\\y", code: .phoneInvalid, message: "bad \u{1}"),
                    RowIssue(row: 3, column: "tz", value: "Mars", code: .timezoneInvalid, message: "no")]
        r.duplicateRows = [.init(row: 4, phoneNumber: "+14155552671", firstRow: 2)]
        r.finishedAt = r.startedAt.addingTimeInterval(1.5)
        let data = try ReportFile.encode(r)
        #expect(try ReportFile.decode(data) == r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["batchId"] is NSNull)
        #expect(object["durationMs"] as? Int == 1500)
        #expect((object["errors"] as? [[String: Any]])?.count == 2)
    }

    /// Every field set: the hand-written bytes decode to the same report, and they write every
    /// key the decoder knows (the `Codable` form is the report's one shape).
    @Test func everyFieldRoundTripsAndEveryKeyIsWritten() throws {
        var r = ImportReport(file: "x.xlsx", sha256: "cd", inbox: "acme", policy: "reject",
                             startedAt: Date(timeIntervalSince1970: 1_800_000_000.125))
        r.receivedAs = "x%FF.xlsx"
        r.format = "xlsx"
        r.sheet = "Contacts \"A\""
        r.status = .duplicate
        r.batchId = 7
        r.duplicateOf = 7
        r.dryRun = true
        r.counts.rows = 9
        r.counts.suppressed = 1
        r.errors = [RowIssue(row: 5, column: "é", value: "\t", code: .phoneMissing, message: "m")]
        r.errorsTruncated = true
        r.duplicateRows = [.init(row: 6, phoneNumber: "+14155552671", firstRow: 3)]
        r.suppressedRows = [.init(row: 8, phoneNumber: "+14155552672")]
        r.error = "e"
        r.errorCode = "duplicate_file"
        r.finishedAt = r.startedAt.addingTimeInterval(0.25)
        let data = try ReportFile.encode(r)
        #expect(try ReportFile.decode(data) == r)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == Set(ImportReport.Key.allCases.map(\.rawValue)))
        #expect(object["startedAt"] as? String == "2027-01-15T08:00:00.125Z", "milliseconds, Timestamp's form")
    }
}


/// The fields an HTTP upload adds to a manifest (SPEC §8): agent, caller ids, batch type, policy.
@Suite struct ManifestUploadFieldTests {
    @Test func theUploadFieldsApplyAndAreChecked() throws {
        let m = try Manifest(json: Data(#"{"agentId":"agent_1","callingNumbers":["+14155550100","PN_abc"],"batchType":"mixed","invalidRows":"reject"}"#.utf8))
        var s = BatchSettings()
        m.apply(to: &s)
        #expect(s.agentId == "agent_1" && s.callingNumbers == ["+14155550100", "PN_abc"])
        #expect(s.batchType == .mixed && s.invalidRows == .reject)
        #expect(refusedManifestField(#"{"batchType":"inbound"}"#) == "batchType")
        #expect(refusedManifestField(#"{"invalidRows":"maybe"}"#) == "invalidRows")
        #expect(refusedManifestField(#"{"callingNumbers":["has space"]}"#) == "callingNumbers")
        #expect(refusedManifestField(#"{"callingNumbers":"+14155550100"}"#) == "callingNumbers")
        #expect(refusedManifestField(#"{"agentId":""}"#) == "agentId")
    }
}
