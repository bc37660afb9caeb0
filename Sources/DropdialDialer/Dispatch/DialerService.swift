import DropdialStore
import Foundation
import Logging

/// The dialer inside `dropdial run`: after recovery, passes over due calls as they come due;
/// imports committed by the pickup services are seen on the next pass (at most a second later).
public struct DialerService: Sendable {
    let dispatcher: Dispatcher
    let store: Store
    let clock: any DialerClock
    /// How long a stop waits for calls in flight before cancelling them (`stop_timeout_seconds`).
    let stopTimeout: Duration

    public init(dispatcher: Dispatcher, store: Store, clock: any DialerClock, stopTimeout: Duration = .seconds(30)) {
        self.dispatcher = dispatcher
        self.store = store
        self.clock = clock
        self.stopTimeout = stopTimeout
    }

    /// Runs until `shouldStop` turns true, then waits for calls in flight to end, at most
    /// `stopTimeout` (then they are cancelled and end `failed`).
    public func run(shouldStop: @escaping @Sendable () -> Bool) async throws {
        try await dispatcher.recover()
        while !shouldStop() && !Task.isCancelled {
            let progressed = try await dispatcher.pass(inline: false)
            if progressed > 0 { continue }
            let now = clock.now()
            var wake = now.addingTimeInterval(1)
            if let next = try store.nextDue(excluding: await dispatcher.skippedBatches) {
                wake = min(wake, Date(timeIntervalSince1970: TimeInterval(next)))
            }
            try? await clock.sleep(until: max(wake, now.addingTimeInterval(0.05)))
        }
        await dispatcher.drain(within: stopTimeout)
    }
}
