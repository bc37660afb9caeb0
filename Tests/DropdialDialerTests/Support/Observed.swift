import DropdialBase
import DropdialConfig
@testable import DropdialDialer
import Foundation

/// Attempt lines in the order their calls were placed.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [AttemptEvent] = []
    func add(_ e: AttemptEvent) { lock.lock(); events.append(e); lock.unlock() }
    var all: [AttemptEvent] { lock.lock(); defer { lock.unlock() }; return events }
}

/// Wraps a backend and writes each call it places as the attempt line `simulate` prints: the
/// dispatcher is watched from outside, through the seam it dials through.
struct Observed: CallBackend {
    let inner: any CallBackend
    let clock: any DialerClock
    let log: EventLog

    var name: String { inner.name }

    func place(_ call: CallRequest) async -> CallResult {
        let at = Timestamp.iso8601Seconds(clock.now())
        let result = await inner.place(call)
        log.add(AttemptEvent(callId: call.callId, batchId: call.batchId, phoneNumber: call.phoneNumber,
                             attempt: call.attempt, at: at, timezone: call.timezone, outcome: result.outcome.rawValue))
        return result
    }
}

extension Dispatcher {
    /// One pass, then waits until every call it placed has ended and been recorded.
    func passAndSettle(batchSize: Int = 512) async throws -> Int {
        let placed = try await pass(batchSize: batchSize)
        await drain()
        return placed
    }
}
