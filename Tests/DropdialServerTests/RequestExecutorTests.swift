@testable import DropdialServer
import Foundation
import Testing

/// Requests run on the server's own threads: code under the executor's preference, blocking calls
/// included, runs there and not on the cooperative pool, and one blocked request leaves the
/// others served.
@Suite struct RequestExecutorTests {
    @Test func workUnderThePreferenceRunsOnTheExecutorsNamedThreads() async {
        let names = await withTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    await withTaskExecutorPreference(RequestExecutor.shared) { Self.threadName() }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(names.count == 16)
        #expect(names.allSatisfy { $0.hasPrefix("dd-http-") }, "\(names)")
        #expect(!Self.threadName().hasPrefix("dd-http-"), "the test itself is not on them")
    }

    @Test func aBlockedRequestLeavesTheOtherThreadsServing() async throws {
        let executor = RequestExecutor(threads: 2, name: "dd-test-ex")
        let release = DispatchSemaphore(value: 0)
        // One job blocks its thread (as a handler waiting on SQLite's write lock does)…
        let blocked = Task {
            await withTaskExecutorPreference(executor) { release.wait() }
        }
        try await Task.sleep(for: .milliseconds(50))
        // …and work queued after it still runs, on the other thread, while it waits (no time
        // bound: on a loaded test run the hops back to the cooperative pool take their time).
        for _ in 0..<10 {
            let name = await withTaskExecutorPreference(executor) { Self.threadName() }
            #expect(name.hasPrefix("dd-test-ex-"))
        }
        #expect(release.wait(timeout: .now()) == .timedOut, "the first job is still blocked")
        release.signal()
        await blocked.value
    }

    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
