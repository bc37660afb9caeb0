import Foundation
import Subprocess
import SystemPackage

/// One process per call: the call JSON on stdin, `{"outcome": …, "durationSec": …}` on stdout.
/// A timeout, a non-zero exit or unreadable output is `failed`.
public struct ExecBackend: CallBackend {
    public let command: [String]
    public let timeoutSeconds: Double

    public init(command: [String], timeoutSeconds: Double = 120) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
    }

    struct Reply: Decodable {
        var outcome: String
        var durationSec: Double?
    }

    public func place(_ call: CallRequest) async -> CallResult {
        let failed = CallResult(outcome: .failed, durationSec: 0)
        guard let input = try? JSONEncoder().encode(call), let executable = command.first else { return failed }
        let started = Date()
        guard let output = await run(executable, input: input),
              let reply = try? JSONDecoder().decode(Reply.self, from: output),
              let outcome = CallOutcome(rawValue: reply.outcome) else { return failed }
        return CallResult(outcome: outcome, durationSec: reply.durationSec ?? Date().timeIntervalSince(started))
    }

    /// Stdout of a run that exits 0 within the timeout; nil otherwise. On timeout the process gets
    /// SIGTERM, then SIGKILL two seconds later.
    private func run(_ executable: String, input: Data) async -> Data? {
        let arguments = Arguments(Array(command.dropFirst()))
        let timeout = timeoutSeconds
        return await withTaskGroup(of: Data??.self) { group in
            group.addTask {
                var options = PlatformOptions()
                options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))]
                guard let result = try? await Subprocess.run(
                    .path(FilePath(executable)), arguments: arguments, platformOptions: options,
                    input: .data(input), output: .data(limit: 1 << 20), error: .discarded),
                    case .exited(0) = result.terminationStatus
                else { return .some(nil) }
                return .some(result.standardOutput)
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return .none
            }
            let first = await group.next() ?? .none
            group.cancelAll()
            return first ?? nil
        }
    }
}
