import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Testing

/// Readiness on virtual time: the probe is a dictionary the test edits.
@Suite struct ReadinessTests {
    @Test func writtenInPlaceSettlesAndModifyResetsTheTimer() {
        var r = Readiness(settleSeconds: 1)
        var disk = ["a.csv": facts(size: 10)]
        r.observe(WatchEvent(name: "a.csv", kind: .created), at: 0)
        #expect(r.due(at: 0.5) { disk[$0] }.isEmpty)
        r.observe(WatchEvent(name: "a.csv", kind: .modified), at: 0.8)
        disk["a.csv"] = facts(size: 20)
        #expect(r.due(at: 1.5) { disk[$0] }.isEmpty)
        r.observe(WatchEvent(name: "a.csv", kind: .closedAfterWrite), at: 1.6)
        #expect(r.nextCheck(after: 1.6) == 2.6)
        #expect(r.due(at: 2.5) { disk[$0] }.isEmpty)
        #expect(r.due(at: 2.6) { disk[$0] } == [ReadyFile(name: "a.csv", reason: .settled)])
        #expect(r.pending.isEmpty)
    }

    @Test func sizeOrMtimeChangeWithoutEventsResetsTheTimer() {
        var r = Readiness(settleSeconds: 1)
        var disk = ["s.csv": facts(size: 5, mtime: 1)]
        r.noticeExisting("s.csv", facts: disk["s.csv"], at: 0)
        disk["s.csv"] = facts(size: 5, mtime: 2)
        #expect(r.due(at: 1) { disk[$0] }.isEmpty)
        #expect(r.due(at: 1.9) { disk[$0] }.isEmpty)
        #expect(r.due(at: 2) { disk[$0] } == [ReadyFile(name: "s.csv", reason: .settled)])
    }

    @Test func startupFilesNeedOneStableSettlePeriod() {
        var r = Readiness(settleSeconds: 2)
        let disk = ["old.csv": facts(size: 5)]
        r.noticeExisting("old.csv", facts: disk["old.csv"], at: 100)
        #expect(r.due(at: 101) { disk[$0] }.isEmpty)
        #expect(r.due(at: 102) { disk[$0] } == [ReadyFile(name: "old.csv", reason: .settled)])
    }

    @Test func renamedIsReadyAtOnce() {
        var r = Readiness(settleSeconds: 5)
        let disk = ["m.csv": facts(size: 5)]
        r.observe(WatchEvent(name: "m.csv", kind: .movedIn), at: 3)
        #expect(r.nextCheck(after: 3) == 3)
        #expect(r.due(at: 3) { disk[$0] } == [ReadyFile(name: "m.csv", reason: .arrivedComplete)])
    }

    @Test func linkedInWaitsOnlyAShortGraceAndFallsBackToSettleOnWrites() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["l.csv": facts(size: 5), "w.csv": facts(size: 5)]
        r.observe(WatchEvent(name: "l.csv", kind: .linkedIn), at: 0)
        r.observe(WatchEvent(name: "w.csv", kind: .linkedIn), at: 0)
        r.observe(WatchEvent(name: "w.csv", kind: .modified), at: 0.1)
        #expect(r.due(at: 0.1) { disk[$0] }.isEmpty)
        #expect(r.due(at: 0.2) { disk[$0] } == [ReadyFile(name: "l.csv", reason: .arrivedComplete)])
        #expect(r.due(at: 1.0) { disk[$0] }.isEmpty)
        #expect(r.due(at: 1.1) { disk[$0] } == [ReadyFile(name: "w.csv", reason: .settled)])
    }

    @Test func partialXLSXWaitsUntilItsEndRecordArrives() {
        var r = Readiness(settleSeconds: 1)
        var disk = ["b.xlsx": facts(size: 1000, zip: false)]
        r.observe(WatchEvent(name: "b.xlsx", kind: .movedIn), at: 0)
        for t in [0.0, 1, 5, 30] { #expect(r.due(at: t) { disk[$0] }.isEmpty) }
        #expect(r.pending == ["b.xlsx"])
        disk["b.xlsx"] = facts(size: 1022, zip: true)   // the rest, end record included, appended
        #expect(r.due(at: 31) { disk[$0] }.isEmpty)       // changed: settle again
        #expect(r.due(at: 32) { disk[$0] } == [ReadyFile(name: "b.xlsx", reason: .settled)])
    }

    @Test func partialXLSXIsHandedOverAtTheCap() {
        var r = Readiness(settleSeconds: 1)
        #expect(r.zipWaitCap == 60)
        let disk = ["c.XLSX": facts(size: 1000, zip: false)]
        r.observe(WatchEvent(name: "c.XLSX", kind: .movedIn), at: 0)
        #expect(r.due(at: 59.9) { disk[$0] }.isEmpty)
        #expect(r.nextCheck(after: 59.9) == 60)
        #expect(r.due(at: 60) { disk[$0] } == [ReadyFile(name: "c.XLSX", reason: .zipWaitCapReached)])
        #expect(Readiness(settleSeconds: 10).zipWaitCap == 100)
    }

    @Test func vanishedFilesAreForgottenAndNonRegularHandedOver() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["link.csv": facts(size: 5, kind: .symlink)]
        r.observe(WatchEvent(name: "gone.csv", kind: .created), at: 0)
        r.observe(WatchEvent(name: "removed.csv", kind: .created), at: 0)
        r.observe(WatchEvent(name: "removed.csv", kind: .removed), at: 0.1)
        r.observe(WatchEvent(name: "link.csv", kind: .created), at: 0)
        #expect(r.pending == ["gone.csv", "link.csv"])
        #expect(r.due(at: 0.2) { disk[$0] } == [ReadyFile(name: "link.csv", reason: .notRegular)])
        #expect(r.pending.isEmpty)
        #expect(r.nextCheck(after: 1) == nil)
    }

    @Test func overflowChangesNothingAndScanKeepsKnownState() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["m.csv": facts(size: 5)]
        r.observe(WatchEvent(name: "m.csv", kind: .movedIn), at: 0)
        r.observe(WatchEvent(name: "", kind: .overflow), at: 0)
        r.noticeExisting("m.csv", facts: disk["m.csv"], at: 0)
        #expect(r.due(at: 0) { disk[$0] } == [ReadyFile(name: "m.csv", reason: .arrivedComplete)])
    }

    @Test func zipEndRecordDetection() throws {
        let body = [UInt8](repeating: 0x41, count: 500)
        #expect(ZipEnd.isPresent(tail: body + eocd()))
        #expect(ZipEnd.isPresent(tail: body + eocd(comment: Array("hello".utf8))))
        #expect(!ZipEnd.isPresent(tail: body))
        #expect(!ZipEnd.isPresent(tail: body + eocd() + [1, 2, 3]))   // stray signature, not at the end
        #expect(!ZipEnd.isPresent(tail: Array(eocd().prefix(10))))

        let dir = TempDir()
        dir.put("half.xlsx", body)
        dir.put("whole.xlsx", body + eocd())
        dir.put("big.xlsx", [UInt8](repeating: 7, count: 200_000) + eocd())
        #expect(FileFacts.read(directory: dir.path, name: "half.xlsx")?.zipComplete == false)
        #expect(FileFacts.read(directory: dir.path, name: "whole.xlsx")?.zipComplete == true)
        #expect(FileFacts.read(directory: dir.path, name: "big.xlsx")?.zipComplete == true)
        dir.write("plain.csv", "x")
        #expect(FileFacts.read(directory: dir.path, name: "plain.csv")?.zipComplete == nil)
        #expect(FileFacts.read(directory: dir.path, name: "missing.csv") == nil)
    }
}

/// A writer that pauses with the file open is not taken, however long the pause (issue: a paused
/// upload imported half).
@Suite struct OpenForWriteTests {
    @Test func aFileWrittenButNotClosedWaitsForItsClose() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["a.csv": facts(size: 200)]   // its final size, so the probe sees no change of its own
        r.observe(WatchEvent(name: "a.csv", kind: .created), at: 0)
        r.observe(WatchEvent(name: "a.csv", kind: .written), at: 0.1)
        // The writer pauses 2.5 s (more than the settle time) with the file open.
        #expect(r.due(at: 1.5) { disk[$0] }.isEmpty)
        #expect(r.due(at: 2.6) { disk[$0] }.isEmpty)
        #expect(r.nextCheck(after: 2.6)! > 60, "no busy re-checking while the writer holds it")
        r.observe(WatchEvent(name: "a.csv", kind: .written), at: 2.6)
        r.observe(WatchEvent(name: "a.csv", kind: .closedAfterWrite), at: 2.7)
        #expect(r.due(at: 3.6) { disk[$0] }.isEmpty)
        #expect(r.due(at: 3.7) { disk[$0] } == [ReadyFile(name: "a.csv", reason: .settled)])
    }

    @Test func aWriterThatNeverClosesIsTakenOnlyAfterTheCap() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["t.csv": facts(size: 100)]
        r.observe(WatchEvent(name: "t.csv", kind: .written), at: 0)
        #expect(r.openWriteCap == 600)
        #expect(r.due(at: 599) { disk[$0] }.isEmpty)
        #expect(r.due(at: 600) { disk[$0] } == [ReadyFile(name: "t.csv", reason: .settled)])
    }

    @Test func metadataChangesDoNotCountAsAnOpenWriter() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["m.csv": facts(size: 100)]
        r.observe(WatchEvent(name: "m.csv", kind: .closedAfterWrite), at: 0)
        r.observe(WatchEvent(name: "m.csv", kind: .modified), at: 0.5)
        #expect(r.due(at: 1.5) { disk[$0] } == [ReadyFile(name: "m.csv", reason: .settled)])
    }
}

@Suite struct WriterHoldsTests {
    /// A file found by a scan has no events: the kernel's answer keeps it, asked only once it would be taken.
    @Test func aScannedFileWaitsWhileAWriterHoldsIt() {
        var r = Readiness(settleSeconds: 1)
        let disk = ["s.csv": facts(size: 10)]
        var asked: [Double] = []
        var writing = true
        r.noticeExisting("s.csv", facts: disk["s.csv"], at: 0)
        for t in [0.5, 0.9] {
            #expect(r.due(at: t, probe: { disk[$0] }, writerHolds: { _ in asked.append(t); return writing }).isEmpty)
        }
        #expect(asked.isEmpty, "not asked before the settle time")
        #expect(r.due(at: 1.5, probe: { disk[$0] }, writerHolds: { _ in asked.append(1.5); return writing }).isEmpty)
        writing = false
        #expect(r.due(at: 2, probe: { disk[$0] }, writerHolds: { _ in asked.append(2); return writing })
                == [ReadyFile(name: "s.csv", reason: .settled)])
        #expect(asked == [1.5, 2])
    }
}
