import DropdialTestKit
import DropdialConfig
@testable import DropdialImport
import Foundation
import Glibc
import Testing

/// A manifest is a user's file: it is parsed exactly as SPEC §7 spells it, bounded, and anything
/// else rejects the data file rather than dialing early, often, or with the inbox defaults.
@Suite struct ManifestStrictTests {
    func parse(_ json: String) throws(Manifest.Invalid) -> Manifest { try Manifest(json: Data(json.utf8)) }

    func scheduled(_ text: String) -> Date? { try? parse(#"{"scheduledAt":"\#(text)"}"#).scheduledAt }

    func refusedField(_ json: String) -> String? { refusedManifestField(json) }

    /// 2027-03-09T15:30:00Z
    static let t = Date(timeIntervalSince1970: 1_804_606_200)

    @Test func everySpellingOfSpec7MeansTheInstantWritten() {
        #expect(scheduled("2027-03-09T15:30Z") == Self.t, "no seconds: not UTC midnight")
        #expect(scheduled("2027-03-09T15:30") == Self.t, "no designator: UTC")
        #expect(scheduled("2027-03-09T15:30:00") == Self.t)
        #expect(scheduled("2027-03-09T15:30:00Z") == Self.t)
        #expect(scheduled("2027-03-09T05:30-10:00") == Self.t, "the offset is read, not taken for seconds")
        #expect(scheduled("2027-03-09T21:00+05:30") == Self.t)
        #expect(scheduled("2027-03-09T15:30:00+00:00") == Self.t)
    }

    @Test func aFractionRoundsUpSoNoAttemptIsEarly() {
        #expect(scheduled("2027-03-09T15:29:59,5Z") == Self.t)
        #expect(scheduled("2027-03-09T15:29:59.000000001Z") == Self.t)
        #expect(scheduled("2027-03-09T15:30:00.000Z") == Self.t)
        #expect(scheduled("2027-03-09T15:00:00,5Z") == Date(timeIntervalSince1970: 1_804_604_401))
    }

    @Test(arguments: [
        "-0001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "10000-01-01T00:00:00Z",
        "2026-02-30T09:00:00Z", "2026-13-01T09:00:00Z", "2026-04-31T09:00Z", "2025-02-29T09:00Z",
        "2026-05-01T24:00:00Z", "2026-05-01T09:60Z", "2026-05-01T09:00:60Z",
        "2026-05-01T09:00+14:01", "2026-05-01T09:00-15:00", "2026-05-01T09:00+5:30", "2026-05-01T09:00+0530",
        "2026-05-01T09:00+05", "2026-05-01", "2026-05-01 09:00:00Z", "2026-05-01T9:00Z", "2026-05-01T09:00:00.Z",
        "2026-05-01T09:00:00.1234567890Z", "2026-05-01T09:00:00ZZ", "2026-05-01T09:00:00z", "tomorrow",
        "+2026-05-01T09:00Z", "2026-05-01T09:00:00+14:00junk",
    ])
    func everyOtherSpellingIsRefused(text: String) {
        #expect(scheduled(text) == nil, "\(text)")
        #expect(refusedField(#"{"scheduledAt":"\#(text)"}"#) == "scheduledAt")
    }

    @Test func theLimitsThemselvesAreAccepted() {
        #expect(scheduled("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(scheduled("9999-12-31T23:59:59Z") != nil)
        #expect(scheduled("2028-02-29T12:00+14:00") != nil)
        #expect(scheduled("2028-02-29T12:00-14:00") != nil)
    }

    @Test func retriesAreBounded() {
        #expect(refusedField(#"{"retry":{"count":999999999,"intervalMinutes":0}}"#) == "retry")
        #expect(refusedField(#"{"retry":{"count":3,"intervalMinutes":0}}"#) == "retry")
        #expect(refusedField(#"{"retry":{"count":21,"intervalMinutes":60}}"#) == "retry")
        #expect(refusedField(#"{"retry":{"count":20,"intervalMinutes":1}}"#) == nil)
        #expect(refusedField(#"{"retry":{"count":3,"intervalMinutes":43201}}"#) == "retry")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":22,"gaps":[{"days":1}]}}"#) == "smartCallbackConfig")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":3,"gaps":[{"days":366}]}}"#) == "smartCallbackConfig")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":3,"gaps":[{"hours":8761}]}}"#) == "smartCallbackConfig")
        let gaps = Array(repeating: #"{"days":1}"#, count: 21).joined(separator: ",")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":3,"gaps":[\#(gaps)]}}"#) == "smartCallbackConfig")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":21,"gaps":[{"days":1}]}}"#) == nil)
    }

    @Test func anOutOfRangeNumberSaysSoHonestly() throws {
        do {
            _ = try parse(#"{"retry":{"count":99999999999}}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.field == "retry.count")
            #expect(error.message.contains("out of range"), "\(error.message)")
        }
        do {
            _ = try parse(#"{"retry":{"count":999999999}}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("0–20"), "\(error.message)")
        }
    }

    @Test func unknownNestedKeysAreRefused() {
        #expect(refusedField(#"{"retry":{"count":1,"intervalMinutes":5,"extra":1}}"#) == "retry.extra")
        #expect(refusedField(#"{"callingWindow":{"start":"09:00","end":"17:00","tz":"UTC"}}"#) == "callingWindow.tz")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":3,"gaps":[{"days":1,"minutes":5}]}}"#) == "smartCallbackConfig.gaps[0].minutes")
        #expect(refusedField(#"{"smartCallbackConfig":{"enabled":true,"maxAttempts":3,"gapz":[]}}"#) == "smartCallbackConfig.gapz")
    }

    @Test func timesAreTwoDigitsEach() {
        #expect(refusedField(#"{"callingWindow":{"start":"+9:00","end":"17:00"}}"#) == "callingWindow.start")
        #expect(refusedField(#"{"callingWindow":{"start":"09:00","end":"-1:00"}}"#) == "callingWindow.end")
        #expect(LocalTime("+9:00") == nil && LocalTime(" 9:00") == nil && LocalTime("09:00") != nil)
    }

    @Test func batchNameIsAtMost200Characters() {
        #expect(refusedField(#"{"batchName":"\#(String(repeating: "é", count: 200))"}"#) == nil)
        #expect(refusedField(#"{"batchName":"\#(String(repeating: "é", count: 201))"}"#) == "batchName")
    }

    // MARK: the manifest file itself

    func load(_ make: (String) throws -> Void) throws -> Result<Manifest?, Manifest.Invalid> {
        let dir = try Scratch.folder("manifest").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/c.batch.json"
        try make(path)
        do { return .success(try Manifest.load(path: path)) } catch { return .failure(error) }
    }

    @Test func noManifestIsNone() throws {
        guard case .success(nil) = try load({ _ in }) else { Issue.record("expected none"); return }
    }

    @Test func aSymlinkFIFOFolderOrUnreadableManifestIsAnError() throws {
        let target = Scratch.path("real", suffix: ".json")
        try Data(#"{"batchName":"x"}"#.utf8).write(to: URL(fileURLWithPath: target))
        defer { unlink(target) }
        let cases: [(String, (String) throws -> Void)] = [
            ("symbolic link", { #expect(symlink(target, $0) == 0) }),
            ("FIFO", { #expect(mkfifo($0, 0o644) == 0) }),
            ("folder", { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) }),
            ("big", { try Data(repeating: 0x20, count: (1 << 20) + 1).write(to: URL(fileURLWithPath: $0)) }),
        ]
        for (what, make) in cases {
            guard case .failure = try load(make) else { Issue.record("\(what) accepted"); continue }
        }
        // Unreadable: permission bits do not stop root, so only as another user.
        if geteuid() != 0 {
            guard case .failure = try load({ p in
                try Data("{}".utf8).write(to: URL(fileURLWithPath: p))
                chmod(p, 0)
            }) else { Issue.record("unreadable accepted"); return }
        }
    }
}
