import DropdialTestKit
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
        let path = Scratch.path("exec", suffix: ".sh")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return path
    }

    @Test func outcomeFromStdoutAndCallJSONOnStdin() async throws {
        let log = Scratch.path("exec", suffix: ".json")
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
        let pidFile = Scratch.path("pid")
        let marker = pidFile + ".finished"
        let body = "sleep 30 & echo $! > \(pidFile); wait; touch \(marker); echo '{\"outcome\":\"completed\"}'"
        let r = await ExecBackend(command: ["/bin/sh", try script(body)], timeoutSeconds: 0.5).place(request(attempt: 1))
        #expect(r.outcome == .failed)
        #expect(!FileManager.default.fileExists(atPath: marker), "the script was killed before it finished")
        #expect(try processGone(pidFile: pidFile), "the sleep started by the command was killed")
    }

    /// A command that starts `sleep 600` in its group, writes the sleep's pid to `pidFile`, and
    /// once it ends would create `pidFile.finished` and answer `completed`; it never reads its stdin.
    func sleeper() throws -> (command: [String], pidFile: String) {
        let pidFile = Scratch.path("pid")
        let body = "sleep 600 & echo $! > \(pidFile); wait; touch \(pidFile).finished; echo '{\"outcome\":\"completed\"}'"
        return (["/bin/sh", try script(body)], pidFile)
    }

    /// Whether the process whose pid the command wrote to `pidFile` is gone: killed with its
    /// group, it may linger a moment as a zombie until init reaps it.
    func processGone(pidFile: String) throws -> Bool {
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        for _ in 0..<250 {
            if kill(pid, 0) != 0 || (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?
                .split(separator: " ").dropFirst(2).first == "Z" { return true }
            usleep(20_000)
        }
        return false
    }

    /// Issue 11 case 10: the call JSON (here over 200 KiB of variables, more than a pipe holds)
    /// went to the command in one blocking write before the timeout started, so a command that
    /// never reads its stdin held the call for as long as it lived (600 s here). It must end
    /// `failed` at the 1 s timeout, its process group killed before it finished. The time bound
    /// is loose (a loaded 2-core machine can starve this test's thread for a minute); the
    /// marker the command would leave at its end proves it was not waited for.
    @Test func aCommandThatNeverReadsStdinEndsAtTheTimeout() async throws {
        let (command, pidFile) = try sleeper()
        var call = request(attempt: 1)
        call.variables["notes"] = String(repeating: "x", count: 200_000)
        let started = Date()
        let r = await ExecBackend(command: command, timeoutSeconds: 1).place(call)
        let held = Date().timeIntervalSince(started)
        #expect(r.outcome == .failed)
        #expect(!FileManager.default.fileExists(atPath: pidFile + ".finished"), "the command was killed, not waited for")
        #expect(held < 300, "held the call \(held) s; the timeout is 1 s and the command lives 600 s")
        #expect(try processGone(pidFile: pidFile), "the command's group was killed")
    }

    /// The daemon stopping cancels the call: the command is killed at once, not at its 3600 s
    /// timeout nor at its end.
    @Test func aCancelledCallKillsTheCommandAtOnce() async throws {
        let (command, pidFile) = try sleeper()
        let (r, held) = try await placeThenCancel(ExecBackend(command: command, timeoutSeconds: 3600)) {
            FileManager.default.fileExists(atPath: pidFile)
        }
        #expect(r.outcome == .failed)
        #expect(!FileManager.default.fileExists(atPath: pidFile + ".finished"), "the command was killed, not waited for")
        #expect(held < 300, "held the call \(held) s after it was cancelled")
        #expect(try processGone(pidFile: pidFile), "the command's group was killed")
    }

    /// A command that reads its large stdin slowly still gets all of it, and its reply counts.
    @Test func aLargeCallJSONReachesACommandThatReadsIt() async throws {
        let log = Scratch.path("exec", suffix: ".json")
        let s = try script("sleep 0.3; cat > \(log)\necho '{\"outcome\":\"busy\",\"durationSec\":2}'")
        var call = request(attempt: 1)
        call.variables["notes"] = String(repeating: "é", count: 150_000)
        let r = await ExecBackend(command: ["/bin/sh", s], timeoutSeconds: 60).place(call)
        #expect(r == CallResult(outcome: .busy, durationSec: 2))
        let sent = try JSONDecoder().decode(CallRequest.self, from: Data(contentsOf: URL(fileURLWithPath: log)))
        #expect(sent == call)
    }

    /// The command was spawned from a Dispatch worker thread with its signals blocked, so a shell
    /// that `wait`s for a job of its own never saw SIGCHLD and hung; and it inherited the daemon's
    /// ignored SIGPIPE. It starts with no signal blocked or ignored.
    @Test func aCommandStartsWithDefaultSignals() async throws {
        let log = Scratch.path("sig")
        let body = "sleep 0.2 & wait; grep -E '^Sig(Blk|Ign)' /proc/self/status > \(log); echo '{\"outcome\":\"completed\"}'"
        let r = await ExecBackend(command: ["/bin/sh", try script(body)], timeoutSeconds: 60).place(request(attempt: 1))
        #expect(r.outcome == .completed, "\(r.failure ?? "")")
        let masks = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            .map { UInt64($0.split(separator: "\t").last ?? "", radix: 16) }
        #expect(masks.count == 2 && masks[0] == 0, "no signal blocked: \(masks)")
        // Signals 1–31 at their defaults (glibc itself ignores its internal real-time signals 32, 33).
        #expect(masks.count == 2 && masks[1].map { $0 & 0x7FFF_FFFF } == 0, "no signal ignored: \(masks)")
    }

    /// Every failure says why (the dispatcher logs it).
    @Test func failuresCarryTheirReason() async throws {
        func reason(_ body: String, timeout: Double = 60) async throws -> String {
            let r = await ExecBackend(command: ["/bin/sh", try script(body)], timeoutSeconds: timeout).place(request(attempt: 1))
            #expect(r.outcome == .failed)
            return r.failure ?? ""
        }
        #expect(try await reason("exit 3").contains("exited with status 3"))
        #expect(try await reason("echo 'not json'").contains("\"not json"))
        #expect(try await reason("echo '{\"outcome\":\"teleported\"}'").contains("unknown outcome \"teleported\""))
        #expect(try await reason("kill -9 $$").contains("signal 9"))
        #expect(try await reason("sleep 30", timeout: 0.3).contains("timeout_seconds"))
        let missing = await ExecBackend(command: ["/nonexistent/dialer"]).place(request(attempt: 1))
        #expect(missing.failure?.contains("cannot start the command") == true)
    }

    @Test func missingCommandIsFailed() async {
        #expect(await ExecBackend(command: ["/nonexistent/dialer"]).place(request(attempt: 1)).outcome == .failed)
    }
}

/// Places a call on `backend` in a task and cancels the task once `started` holds (polled for
/// at most 60 s); returns the result and the seconds the call took to end after the cancel.
func placeThenCancel(_ backend: any CallBackend, once started: @escaping @Sendable () -> Bool) async throws
    -> (CallResult, TimeInterval) {
    let call = Task { await backend.place(request(attempt: 1)) }
    for _ in 0..<3000 where !started() { try await Task.sleep(for: .milliseconds(20)) }
    let cancelled = Date()
    call.cancel()
    let result = await call.value
    return (result, Date().timeIntervalSince(cancelled))
}

func request(attempt: Int) -> CallRequest {
    CallRequest(idempotencyKey: CallRequest.key(batch: 3, call: 9, attempt: attempt), batchId: 3, callId: 9,
                attempt: attempt, phoneNumber: "+14155552671", callingNumber: "+12125550100", agentId: "agent-1",
                timezone: "America/Los_Angeles", variables: ["name": "Ada"])
}
