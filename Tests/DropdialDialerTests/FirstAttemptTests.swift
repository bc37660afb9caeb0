import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import Foundation
import Testing

/// First attempt: earliest eligible instant at or after max(import time, scheduledAt, dialer clock start).
@Suite struct FirstAttemptTests {
    let office = rules("09:00", "17:00", days: mondayToFriday, guarded: true)

    @Test func scheduledAtLaterThanImportWins() {
        // Imported Monday 05:00 EST; scheduled Wednesday 2026-03-04 09:30 EST = 14:30Z, eligible as is.
        let at = office.firstAttempt(importedAt: utc("2026-03-02T10:00Z"),
                                     scheduledAt: SettingsCheck.parseScheduledAt("2026-03-04T14:30:00Z"),
                                     clockStart: utc("2026-03-02T10:00Z"), zones: [newYork])
        #expect(at == utc("2026-03-04T14:30Z"))
        // The same instant written with an offset.
        let withOffset = office.firstAttempt(importedAt: utc("2026-03-02T10:00Z"),
                                             scheduledAt: SettingsCheck.parseScheduledAt("2026-03-04T09:30:00-05:00"),
                                             clockStart: utc("2026-03-02T10:00Z"), zones: [newYork])
        #expect(withOffset == utc("2026-03-04T14:30Z"))
    }

    @Test func scheduledAtWithoutDesignatorIsUTCAndMayFallOutsideTheWindow() {
        // "2026-03-06T22:00:00" is UTC = Friday 17:00 EST (window end, excluded) → Monday 09:00 EDT = 13:00Z
        // (DST began Sunday 2026-03-08).
        let at = office.firstAttempt(importedAt: utc("2026-03-02T10:00Z"),
                                     scheduledAt: SettingsCheck.parseScheduledAt("2026-03-06T22:00:00"),
                                     clockStart: utc("2026-03-02T10:00Z"), zones: [newYork])
        #expect(at == utc("2026-03-09T13:00Z"))
    }

    @Test func importTimeWinsWhenLatest() {
        // No scheduledAt; imported Monday 11:00 EST, clock started earlier: call at once.
        #expect(office.firstAttempt(importedAt: utc("2026-03-02T16:00Z"), scheduledAt: nil,
                                    clockStart: utc("2026-03-02T12:00Z"), zones: [newYork]) == utc("2026-03-02T16:00Z"))
        // A past scheduledAt does not pull the call before the import.
        #expect(office.firstAttempt(importedAt: utc("2026-03-02T16:00Z"), scheduledAt: utc("2026-02-01T00:00Z"),
                                    clockStart: utc("2026-03-02T12:00Z"), zones: [newYork]) == utc("2026-03-02T16:00Z"))
    }

    @Test func clockStartWinsWhenLatest() {
        // Dialer clock starts Tuesday 18:00 EST (after hours) → Wednesday 09:00 EST = 14:00Z.
        #expect(office.firstAttempt(importedAt: utc("2026-03-02T16:00Z"), scheduledAt: utc("2026-03-03T15:00Z"),
                                    clockStart: utc("2026-03-03T23:00Z"), zones: [newYork]) == utc("2026-03-04T14:00Z"))
    }
}
