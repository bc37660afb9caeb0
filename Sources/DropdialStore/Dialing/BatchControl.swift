import DropdialConfig
import GRDB

/// `pause`, `resume`, `cancel`: the daemon sees them through the database on its next pass.
public enum BatchCommand: String, Sendable, CaseIterable {
    case pause, resume, cancel
}

/// Why a batch command was refused (exit status 1 or 2 at the command line).
public enum BatchControlError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownBatch(Int64)
    case notAllowed(batch: Int64, status: String, command: String)

    public var description: String {
        switch self {
        case .unknownBatch(let id): "no batch \(id); `dropdial batches` lists them"
        case .notAllowed(let id, let status, let command): "batch \(id) is \(status); it cannot \(command)"
        }
    }
}

/// What a command does to a batch in a given status: the one decision both engines apply.
enum BatchTransition {
    case pause, resume, cancel
    /// Already there (pause a paused batch): the command line succeeds, changing nothing.
    case unchanged
}

extension BatchCommand {
    /// SPEC §8: pause from scheduled and active only, resume from paused only, cancel from any
    /// status but completed and cancelled. `strict` (the HTTP API) refuses a command that would
    /// change nothing.
    func transition(batch id: Int64, from status: String, strict: Bool) throws(BatchControlError) -> BatchTransition {
        switch (self, BatchStatus(rawValue: status)) {
        case (.pause, .scheduled?), (.pause, .active?): return .pause
        case (.resume, .paused?): return .resume
        case (.cancel, .scheduled?), (.cancel, .active?), (.cancel, .paused?): return .cancel
        case (.pause, .paused?), (.resume, .scheduled?), (.resume, .active?), (.cancel, .cancelled?):
            guard strict else { return .unchanged }
            throw .notAllowed(batch: id, status: status, command: rawValue)
        default:
            throw .notAllowed(batch: id, status: status, command: rawValue)
        }
    }
}

extension Store {
    /// Applies a command; returns the batch's new status. Paused calls leave the due index, so a
    /// paused batch costs the dialer nothing. A command that changes nothing (pause a paused
    /// batch) succeeds for the command line, which is idempotent, and is `notAllowed` with
    /// `strict`, as the HTTP API's 409.
    public func control(batch id: Int64, _ command: BatchCommand, strict: Bool = false) throws -> String {
        try pool.write { db in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM batch WHERE id = ?", arguments: [id]) else {
                throw BatchControlError.unknownBatch(id)
            }
            switch try command.transition(batch: id, from: status, strict: strict) {
            case .pause:
                try db.execute(sql: """
                    UPDATE call SET status = \(CallStatus.paused.sql) WHERE batchId = ? AND status = \(CallStatus.pending.sql)
                    """, arguments: [id])
                try db.execute(sql: "UPDATE batch SET status = \(BatchStatus.paused.sql) WHERE id = ?", arguments: [id])
                return BatchStatus.paused.rawValue
            case .resume:
                try db.execute(sql: """
                    UPDATE call SET status = \(CallStatus.pending.sql) WHERE batchId = ? AND status = \(CallStatus.paused.sql)
                    """, arguments: [id])
                let dialed = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM attempt WHERE batchId = ?)", arguments: [id]) ?? false
                let next = (dialed ? BatchStatus.active : .scheduled).rawValue
                try db.execute(sql: "UPDATE batch SET status = ? WHERE id = ?", arguments: [next, id])
                return next
            case .cancel:
                try db.execute(sql: """
                    UPDATE call SET status = \(CallStatus.cancelled.sql), nextAttemptAt = NULL
                    WHERE batchId = ? AND status IN \([CallStatus.pending, .paused].sqlList)
                    """, arguments: [id])
                try db.execute(sql: "UPDATE batch SET status = \(BatchStatus.cancelled.sql) WHERE id = ?", arguments: [id])
                return BatchStatus.cancelled.rawValue
            case .unchanged:
                return status
            }
        }
    }
}
