import Foundation

/// One process per call: the call JSON on stdin, `{"outcome": …, "durationSec": …}` on stdout.
/// A timeout, a non-zero exit or unreadable output is `failed`.
public struct ExecBackend: CallBackend {
    public let command: [String]
    public let timeoutSeconds: Double

    public init(command: [String], timeoutSeconds: Double = 120) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        // A command that exits without reading its stdin must not kill the daemon with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    public func place(_ call: CallRequest) async -> CallResult {
        let failed = CallResult(outcome: .failed, durationSec: 0)
        guard let input = try? JSONEncoder().encode(call), let executable = command.first else { return failed }
        let started = Date()
        let output: Data? = await withCheckedContinuation { done in
            DispatchQueue.global().async { done.resume(returning: run(executable, input: input)) }
        }
        guard let output, let reply = try? JSONDecoder().decode(Reply.self, from: output),
              let outcome = CallOutcome(rawValue: reply.outcome) else { return failed }
        return CallResult(outcome: outcome, durationSec: reply.durationSec ?? Date().timeIntervalSince(started))
    }

    struct Reply: Decodable {
        var outcome: String
        var durationSec: Double?
    }

    /// Runs the command to completion or the timeout; nil unless it exits 0.
    private func run(_ executable: String, input: Data) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { return nil }
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
        let reader = DispatchQueue(label: "dropdial.exec.read")
        nonisolated(unsafe) var data = Data()
        let readDone = DispatchSemaphore(value: 0)
        reader.async {
            data = stdout.fileHandleForReading.readDataToEndOfFile()
            readDone.signal()
        }
        if exited.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL) }
            return nil
        }
        _ = readDone.wait(timeout: .now() + 2)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { return nil }
        return data
    }
}
