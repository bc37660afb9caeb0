import DropdialBase
import ArgumentParser
import DropdialConfig
import DropdialDialer
import DropdialImport
import DropdialStore
import Foundation

/// `dropdial simulate`: the dialer on a virtual clock; a preview that leaves the database as it was.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Preview the dialer on a virtual clock: one line per attempt; the database is not changed.")

    @Option(help: "Virtual start time, ISO 8601 (default: now).") var start: String?
    @Option(help: "Stop at this time, ISO 8601 (default: when every call is final).") var until: String?
    @Option(help: "Every attempt ends with this outcome.") var outcome: String?
    @Flag(help: "One JSON object per attempt, in time order.") var json = false
    @OptionGroup var options: ConfigOptions

    func runSimulation() async throws {
        let config = try options.load()
        let startDate = try date(start, option: "--start") ?? Date()
        let untilDate = try date(until, option: "--until")
        var fixed: CallOutcome?
        if let outcome {
            guard let o = CallOutcome(rawValue: outcome) else {
                throw Exit.fail(Exit.usage, "--outcome \(outcome): use one of \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            fixed = o
        }
        let store: any StoreEngine
        if PostgresStore.isURL(config.database) {
            store = try config.openEngine()   // only read
        } else {
            do {
                // A missing database simulates nothing; an existing one is only read.
                store = FileManager.default.fileExists(atPath: config.database)
                    ? try Store.readOnly(path: config.database) : try Store(path: ":memory:")
            } catch {
                throw Exit.fail(Exit.internalError, error.description)
            }
        }
        let out = LineWriter()
        let json = self.json
        let summary = try Simulation.run(
            store: store, backend: BackendFactory.simulated(config.dialer, fixed: fixed), start: startDate,
            until: untilDate, retriedOutcomes: config.dialer.retried,
            compliance: ComplianceRules(config.compliance), rateLimits: config.dialer.rateLimits
        ) { event in
            if json {
                out.write(event.jsonLine)
            } else {
                out.write("\(event.at)  batch \(event.batchId)  call \(event.callId)  \(event.phoneNumber)  attempt \(event.attempt)  \(event.outcome)  (\(event.timezone))")
            }
        }
        out.flush()
        for skipped in summary.skipped { FileHandle.standardError.write(Data("warning: \(skipped)\n".utf8)) }
        if !json {
            FileHandle.standardError.write(Data("simulated \(summary.attempts) attempts, virtual clock ended at \(Timestamp.iso8601(summary.end))\n".utf8))
        }
    }

    private func date(_ text: String?, option: String) throws -> Date? {
        guard let text else { return nil }
        guard let d = SettingsCheck.parseScheduledAt(text) else {
            throw Exit.fail(Exit.usage, "\(option) \(text): not an ISO 8601 date-time such as 2026-05-04T09:00:00Z")
        }
        return d
    }
}

/// `{"callId":…,"batchId":…,"phoneNumber":…,"attempt":…,"at":…,"timezone":…,"outcome":…}` in that order.
/// Buffered stdout lines, safe to call from the dialer's callbacks.
final class LineWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = OutputBuffer()

    func write(_ line: String) {
        lock.lock()
        buffer.text += line
        buffer.text += "\n"
        buffer.flushIfLarge()
        lock.unlock()
    }

    func flush() {
        lock.lock()
        buffer.flush()
        lock.unlock()
    }
}
