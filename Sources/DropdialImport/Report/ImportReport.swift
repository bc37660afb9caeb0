import Foundation

/// `NAME.report.json` (SPEC §5): what happened to one file, and every row it rejected.
public struct ImportReport: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case imported, rejected, duplicate, failed
    }

    public var file: String
    /// The name the file arrived with, when the daemon had to change it to `file` (too long for
    /// its report's name, or not UTF-8).
    public var receivedAs: String?
    public var sha256: String
    public var format: String?
    public var sheet: String?
    public var inbox: String
    public var policy: String
    public var status: Status
    public var batchId: Int64?
    /// For `duplicate`: the batch the same content was imported into before.
    public var duplicateOf: Int64?
    /// True for `dropdial check`: nothing was committed.
    public var dryRun: Bool
    public var counts: ImportCounts
    public var errors: [RowIssue]
    /// True when more row errors were found than the report lists (`counts.invalid` stays exact).
    public var errorsTruncated: Bool
    /// Later rows whose number already appeared in the file; the first occurrence was kept.
    public var duplicateRows: [DuplicateRow]
    /// Rows left out because their number is on the do-not-call list.
    public var suppressedRows: [SuppressedRow]
    /// File-level rejection, when the whole file was refused.
    public var error: String?
    public var errorCode: String?
    public var startedAt: Date
    public var finishedAt: Date

    public struct DuplicateRow: Sendable, Codable, Equatable {
        public var row: Int
        public var phoneNumber: String
        public var firstRow: Int

        public init(row: Int, phoneNumber: String, firstRow: Int) {
            self.row = row
            self.phoneNumber = phoneNumber
            self.firstRow = firstRow
        }
    }

    public struct SuppressedRow: Sendable, Codable, Equatable {
        public var row: Int
        public var phoneNumber: String
    }

    /// How many row errors, duplicate and suppressed rows a report lists at most (the counts stay
    /// exact; `NAME.errors.csv` has every rejected row). 100,000 made the end of a large file's
    /// import hold ~100 MB of report copies (a 17 MB report, encoded for the batch, the archive,
    /// the files table and an upload's answer).
    public static let listLimit = 10_000

    public init(file: String, sha256: String, inbox: String, policy: String, startedAt: Date) {
        self.file = file
        self.sha256 = sha256
        self.inbox = inbox
        self.policy = policy
        self.status = .failed
        self.dryRun = false
        self.counts = ImportCounts()
        self.errors = []
        self.errorsTruncated = false
        self.duplicateRows = []
        self.suppressedRows = []
        self.startedAt = startedAt
        self.finishedAt = startedAt
    }

    /// Marks the whole file rejected with a user-facing reason.
    public mutating func reject(code: String, _ message: String) {
        status = .rejected
        errorCode = code
        error = message
        batchId = nil
    }
}

/// Reads `NAME.report.json`; `ReportFile.encode` writes it (by hand, for memory).
extension ImportReport: Decodable {
    enum Key: String, CodingKey, CaseIterable {
        case file, receivedAs, sha256, format, sheet, inbox, policy, status, batchId, duplicateOf, dryRun, counts
        case errors, errorsTruncated, duplicateRows, suppressedRows, error, errorCode, startedAt, finishedAt, durationMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        file = try c.decode(String.self, forKey: .file)
        receivedAs = try c.decodeIfPresent(String.self, forKey: .receivedAs)
        sha256 = try c.decode(String.self, forKey: .sha256)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        sheet = try c.decodeIfPresent(String.self, forKey: .sheet)
        inbox = try c.decode(String.self, forKey: .inbox)
        policy = try c.decode(String.self, forKey: .policy)
        status = try c.decode(Status.self, forKey: .status)
        batchId = try c.decodeIfPresent(Int64.self, forKey: .batchId)
        duplicateOf = try c.decodeIfPresent(Int64.self, forKey: .duplicateOf)
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
        counts = try c.decode(ImportCounts.self, forKey: .counts)
        errors = try c.decode([RowIssue].self, forKey: .errors)
        errorsTruncated = try c.decodeIfPresent(Bool.self, forKey: .errorsTruncated) ?? false
        duplicateRows = try c.decode([DuplicateRow].self, forKey: .duplicateRows)
        suppressedRows = try c.decodeIfPresent([SuppressedRow].self, forKey: .suppressedRows) ?? []
        error = try c.decodeIfPresent(String.self, forKey: .error)
        errorCode = try c.decodeIfPresent(String.self, forKey: .errorCode)
        startedAt = try c.decode(Date.self, forKey: .startedAt)
        finishedAt = try c.decode(Date.self, forKey: .finishedAt)
    }
}
