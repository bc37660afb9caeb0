import DropdialStore
import Foundation
import Logging

/// The dialer inside `dropdial run`: after recovery, passes over due calls as they come due;
/// imports committed by the pickup services are seen on the next pass (at most a second later).
public struct DialerService: Sendable {
    let dispatcher: Dispatcher
    let store: any StoreEngine
    let clock: any DialerClock
    let logger: Logger
    /// How long a stop waits for calls in flight before cancelling them (`stop_timeout_seconds`).
    let stopTimeout: Duration
    /// `lease_seconds` (SPEC §11): the heartbeat goes out at a quarter of it (at most every 5 s),
    /// and a node silent for that long has its attempts in flight taken over.
    let leaseSeconds: Double

    public init(dispatcher: Dispatcher, store: any StoreEngine, clock: any DialerClock, stopTimeout: Duration = .seconds(30),
                leaseSeconds: Double = 60, logger: Logger = Logger(label: "dropdial")) {
        self.leaseSeconds = leaseSeconds
        self.logger = logger
        self.dispatcher = dispatcher
        self.store = store
        self.clock = clock
        self.stopTimeout = stopTimeout
    }

    /// Runs until `shouldStop` turns true, then waits for calls in flight to end, at most
    /// `stopTimeout` (then they are cancelled and end `failed`).
    ///
    /// No database error stops it (SPEC §2: the daemon keeps running): a pass that hits one —
    /// busy past the timeout, disk full, I/O, read-only — is logged once, and the loop waits 1 s,
    /// doubling to 60 s, before it tries again; the first pass that gets through says so.
    public func run(shouldStop: @escaping @Sendable () -> Bool) async throws {
        var backoff = Backoff()
        var recovered = false
        var lastBeat: Date?
        let beatEvery = min(5, leaseSeconds / 4)
        while !shouldStop() && !Task.isCancelled {
            do {
                if !recovered {
                    try await dispatcher.recover()
                    recovered = true
                }
                if lastBeat.map({ clock.now().timeIntervalSince($0) >= beatEvery }) ?? true {
                    try await dispatcher.takeOverSilentNodes(leaseSeconds: leaseSeconds)
                    lastBeat = clock.now()
                }
                let progressed = try await dispatcher.pass()
                if backoff.succeeded() { logger.notice("the dialer reaches the database again") }
                if progressed > 0 { continue }
                let now = clock.now()
                var wake = now.addingTimeInterval(1)
                if let held = await dispatcher.heldUntil {
                    // Due calls wait for a rate-limit token: wake when the first one is there.
                    try? await clock.sleep(until: min(wake, max(held, now.addingTimeInterval(0.001))))
                    continue
                }
                if let next = try store.nextDue(excluding: await dispatcher.skippedBatches) {
                    wake = min(wake, Date(timeIntervalSince1970: TimeInterval(next)))
                }
                try? await clock.sleep(until: max(wake, now.addingTimeInterval(0.05)))
            } catch {
                let wait = backoff.failed()
                if backoff.failures == 1 {
                    logger.error("the dialer cannot use the database; it keeps running and tries again", metadata: [
                        "error": "\(error)", "retryInSeconds": "\(Int(wait))"])
                }
                try? await clock.sleep(until: clock.now().addingTimeInterval(wait))
            }
        }
        await dispatcher.drain(within: stopTimeout)
    }

    /// 1 s after the first failure, doubling up to a minute; reset by a pass that gets through.
    struct Backoff {
        private(set) var failures = 0

        mutating func failed() -> Double {
            failures += 1
            return min(60, Double(1 << min(failures - 1, 6)))
        }

        /// Returns true when this ends a run of failures.
        mutating func succeeded() -> Bool {
            defer { failures = 0 }
            return failures > 0
        }
    }
}
