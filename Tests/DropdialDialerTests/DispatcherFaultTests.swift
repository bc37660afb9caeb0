import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import DropdialTestKit
import Foundation
import Logging
import Testing

/// A pass whose `beginAttempt` the database refuses (locked past the busy timeout here; read-only
/// or full in the end-to-end tests) records nothing, and must give back the concurrency slot it
/// took: a batch allowed one call at a time, dialing through one calling number, dials again as
/// soon as the database takes writes again.
@Suite struct DispatcherFaultTests {
    /// Holds SQLite's write lock on `path` from another process until its stdin is closed.
    final class WriteLock {
        let process = Process()
        let input = Pipe()

        init(_ path: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import sqlite3, sys
                c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
                c.execute("BEGIN IMMEDIATE")
                print("locked", flush=True)
                sys.stdin.read()
                c.execute("COMMIT")
                """, path]
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = input
            try process.run()
            _ = out.fileHandleForReading.availableData   // "locked"
        }

        func release() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    @Test func aRefusedBeginAttemptGivesItsSlotBack() async throws {
        let (store, path) = try Scratch.storeAndPath("dispfault", busyTimeout: 0.2)
        var settings = BatchSettings(callingWindow: CallingWindow(start: LocalTime(minutes: 0), end: LocalTime(minutes: 24 * 60)),
                                     allowedDays: [0, 1, 2, 3, 4, 5, 6], callingHoursGuard: false)
        settings.callingNumbers = ["+14155550100"]
        try importBatch(store, phones: ["+12125550101", "+12125550102"], settings: settings, at: fixtureMonday)
        let clock = VirtualClock(start: fixtureMonday.addingTimeInterval(60))
        let dispatcher = Dispatcher(
            store: store, backend: SimulatedBackend(mode: .fixed(.noAnswer), durationSec: 0), clock: clock,
            limits: AttemptLimits(perBatch: 1, perNumber: 1), retriedOutcomes: CallOutcome.defaultRetried,
            logger: Logger(label: "dropdial.test", factory: { _ in SwiftLogNoOpLogHandler() }))

        let lock = try WriteLock(path)
        for _ in 0..<3 {
            await #expect(throws: (any Error).self, "the database refuses the attempt") {
                try await dispatcher.pass()
            }
        }
        lock.release()
        #expect(try store.dueCalls(now: .max, limit: 10).map(\.attempts) == [0, 0], "nothing was recorded")

        #expect(try await dispatcher.passAndSettle() == 1, "the batch's one slot is free again: a call is placed")
        #expect(try await dispatcher.passAndSettle() == 1, "and then the other one")
        #expect(await dispatcher.inFlight == 0)
        #expect(try store.dueCalls(now: .max, limit: 10).map(\.attempts) == [1, 1], "each dialed once, retry pending")
    }
}
