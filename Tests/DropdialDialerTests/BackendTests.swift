@testable import DropdialDialer
import Foundation
import Testing

@Suite struct SimulatedBackendTests {
    @Test func fixedOutcome() async {
        let b = SimulatedBackend(mode: .fixed(.busy), durationSec: 12)
        let r = await b.place(request(attempt: 1))
        #expect(r == CallResult(outcome: .busy, durationSec: 12))
    }

    @Test func sameSeedSameOutcomesWhateverTheOrder() {
        let b = SimulatedBackend(mode: .weighted([(.completed, 1), (.noAnswer, 1)], seed: 7))
        let keys = (1...200).map { CallRequest.key(batch: 1, call: Int64($0), attempt: 1) }
        #expect(keys.map(b.outcome) == keys.reversed().map(b.outcome).reversed())
        let other = SimulatedBackend(mode: .weighted([(.completed, 1), (.noAnswer, 1)], seed: 8))
        #expect(keys.map(b.outcome) != keys.map(other.outcome), "a different seed draws differently")
    }

    @Test func weightsShapeTheDraw() {
        let b = SimulatedBackend(mode: .weighted([(.completed, 3), (.busy, 1), (.declined, 0)], seed: 1))
        let draws = (1...20_000).map { b.outcome(for: CallRequest.key(batch: 1, call: Int64($0), attempt: 1)) }
        let completed = draws.filter { $0 == .completed }.count
        #expect((14_500...15_500).contains(completed), "3:1 weights give about 75% completed, got \(completed)")
        #expect(!draws.contains(.declined), "a zero weight is never drawn")
    }
}

@Suite struct ExecBackendTests {
    /// A script file, run as `/bin/sh FILE`: exec'ing the file itself can fail with ETXTBSY when a
    /// parallel test forks while this file is still open for writing.
    func script(_ body: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("exec-\(UUID().uuidString).sh").path
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    @Test func outcomeFromStdoutAndCallJSONOnStdin() async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("exec-\(UUID().uuidString).json").path
        let s = try script("cat > \(log)\necho '{\"outcome\":\"voicemail\",\"durationSec\":4.5}'")
        let r = await ExecBackend(command: ["/bin/sh", s]).place(request(attempt: 2))
        #expect(r == CallResult(outcome: .voicemail, durationSec: 4.5))
        let sent = try JSONDecoder().decode(CallRequest.self, from: Data(contentsOf: URL(fileURLWithPath: log)))
        #expect(sent == request(attempt: 2))
        #expect(sent.idempotencyKey == "b3-c9-a2")
    }

    @Test(arguments: [
        "echo '{\"outcome\":\"completed\"}'; exit 3",
        "echo 'not json'",
        "echo '{\"outcome\":\"teleported\"}'",
    ])
    func anythingWrongIsFailed(body: String) async throws {
        let r = await ExecBackend(command: ["/bin/sh", try script(body)], timeoutSeconds: 60).place(request(attempt: 1))
        #expect(r.outcome == .failed)
    }

    /// The script would answer `completed` after 30 s; the 0.5 s timeout ends it as `failed` and
    /// kills its whole process group, the `sleep` it started included. No wall-clock bound: on a
    /// loaded 2-core machine the test's own continuation can wait long for a thread; the script's
    /// "finished" marker proves it was killed, not waited for.
    @Test func timeoutIsFailedAndTheCommandIsKilled() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("pid-\(UUID().uuidString)").path
        let marker = pidFile + ".finished"
        let body = "sleep 30 & echo $! > \(pidFile); wait; touch \(marker); echo '{\"outcome\":\"completed\"}'"
        let r = await ExecBackend(command: ["/bin/sh", try script(body)], timeoutSeconds: 0.5).place(request(attempt: 1))
        #expect(r.outcome == .failed)
        #expect(!FileManager.default.fileExists(atPath: marker), "the script was killed before it finished")
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let sleeper = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed with the group; it may linger a moment as a zombie until init reaps it.
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(sleeper, 0) != 0 || (try? String(contentsOfFile: "/proc/\(sleeper)/stat", encoding: .utf8))?
                .split(separator: " ").dropFirst(2).first == "Z"
            if !gone { usleep(20_000) }
        }
        #expect(gone, "the sleep started by the command was killed")
    }

    @Test func missingCommandIsFailed() async {
        #expect(await ExecBackend(command: ["/nonexistent/dialer"]).place(request(attempt: 1)).outcome == .failed)
    }
}

func request(attempt: Int) -> CallRequest {
    CallRequest(idempotencyKey: CallRequest.key(batch: 3, call: 9, attempt: attempt), batchId: 3, callId: 9,
                attempt: attempt, phoneNumber: "+14155552671", callingNumber: "+12125550100", agentId: "agent-1",
                timezone: "America/Los_Angeles", variables: ["name": "Ada"])
}
