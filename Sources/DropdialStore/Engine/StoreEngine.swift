import DropdialConfig
import DropdialImport
import Foundation

/// The store contract: what the import, the pickup and the commands ask of a database, answered by
/// one engine per kind of database — `Store` (SQLite through GRDB, the embedded default) and
/// `PostgresStore` (a shared PostgreSQL server, SPEC §11). Each engine writes its own SQL; callers
/// see the same values and the same errors from both.
///
/// The contract covers importing a file, the pickup's records and claims, the do-not-call list,
/// the batches and their details, add-calls, the export, API keys, the dialer and `simulate`'s
/// reads. SQLite's search index (kept by `SearchIndexService`) is its own.
public protocol StoreEngine: AnyObject, Sendable {
    /// True when other nodes may share the database and the folders (PostgreSQL, SPEC §11);
    /// false for SQLite, which one daemon holds (the daemon lock).
    var sharedByNodes: Bool { get }

    /// The batch an earlier import of the same content into `inbox` created, if any.
    func batchImported(inbox: String, sha256: String) throws -> Int64?

    /// Creates a batch and its calls in one transaction: `body` streams the calls in through the
    /// sink; a thrown error or `.rollback` leaves the database exactly as it was. Returns the
    /// batch id on commit. When the same content (inbox, SHA-256) was committed by anyone before,
    /// nothing is written and ``DuplicateContent`` is thrown.
    func importCalls(_ draft: BatchDraft, body: (any CallSink) throws -> ImportDecision) throws -> Int64?

    /// The committed import of a claimed file, if its transaction finished before a crash.
    func committedClaim(_ claimKey: String) throws -> (batchId: Int64, report: String?)?

    /// Records a file's pickup state (`claimed`, then `rejected`, `duplicate` or `failed`).
    func recordFile(inbox: String, fileName: String, sha256: String, size: Int64, format: String?,
                    state: String, batchId: Int64?, claimKey: String?, at: Date) throws

    /// Takes the claim `key` (an inbox's claim sequence number) for this node, or keeps it: true
    /// when this node holds it now. A claim another node holds is taken over only once that node
    /// has been silent for `leaseSeconds`; an ended claim is never taken again. So of nodes
    /// watching one shared folder only one works on each claimed file (SPEC §11). Always true
    /// on SQLite: one node per database.
    func holdClaim(_ key: String, leaseSeconds: Double) throws -> Bool
    /// Ends this node's claim `key`: its file is archived (or put back), no node takes it again.
    func endClaim(_ key: String) throws

    /// The pickup state of every file of `inbox`, newest first.
    func fileStates(inbox: String) throws -> [(fileName: String, state: String, batchId: Int64?)]

    /// Every number on the do-not-call list once (the import's suppression set).
    func dncNumbers() throws -> [String]
    /// Lists `numbers` (E.164) under `source`; returns how many were not listed before by any source.
    @discardableResult
    func addToDNC(_ numbers: [String], source: DNCSource, at date: Date) throws -> Int
    /// Unlists `numbers` from `dnc add`/`import` and `declined`; a configured file keeps its numbers.
    func removeFromDNC(_ numbers: [String]) throws -> [DNCRemoval]
    /// The whole list, by number.
    func dncEntries() throws -> [DNCEntry]
    /// True when any source lists `number`.
    func isOnDNC(_ number: String) throws -> Bool
    /// The fingerprint a configured DNC file had when it was last loaded.
    func dncFileFingerprint(_ path: String) throws -> String?
    /// Replaces what the file at `path` lists, in one transaction.
    func replaceDNCFile(_ path: String, fingerprint: String, numbers: [String], at date: Date) throws
    /// Drops the entries of DNC files no longer named in the config; returns their paths.
    @discardableResult
    func forgetDNCFiles(except paths: [String]) throws -> [String]

    // MARK: API keys (SPEC §8)

    /// Stores a new key and returns it with its secret, which is shown once and never stored.
    func createKey(name: String, role: KeyRole, inboxes: [String], at now: Date) throws -> (key: APIKey, secret: String)
    /// Every key, revoked ones included, oldest first.
    func keys() throws -> [APIKey]
    /// True when at least one key was ever made.
    func hasKeys() throws -> Bool
    /// Revokes the key called `name`; it stops working at once.
    func revokeKey(name: String, at now: Date) throws
    /// The live key whose secret is `secret`, or nil (every digest compared in constant time).
    func key(presented secret: String) throws -> APIKey?

    /// One page of batch `id`'s calls matching `query`, with their attempts, the compliance rules
    /// each matches and its state. A batch whose inbox `visible` refuses is `unknownBatch`.
    func batchDetails(_ id: Int64, _ query: CallQuery, compliance: [ComplianceRule],
                      visible: (String) -> Bool) throws -> BatchDetails

    /// The results export of batch `id` (its variable names in the order they first appear), or
    /// nil when there is no such batch.
    func resultsExport(batch id: Int64) throws -> ResultsExport?
    /// Up to `limit` calls of batch `id` after call id `after`, in call order (the export's pages).
    func exportCalls(batch id: Int64, after: Int64, limit: Int) throws -> [ExportCall]

    /// The batch `add-calls` adds to, with the rules its file is validated against.
    func addCallsTarget(_ id: Int64) throws -> AddCallsTarget
    /// Writes `chunks` into batch `id`, each in its own transaction (``Store/addCalls(batch:chunks:now:fault:)``).
    func addCalls(batch id: Int64, chunks: [AddCallsChunk], now: Date,
                  fault: (@Sendable (Int) throws -> Void)?) throws -> AddCallsResult

    /// The files of `inboxes` (all when empty) with `status` (any outcome when nil), newest first.
    func files(inboxes: [String], status: FileOutcome?, page: Int, limit: Int) throws -> FileList
    /// One listed file with its stored report (JSON), or nil when there is none such.
    func file(_ id: Int64) throws -> (entry: FileEntry, report: String?)?
    /// The inbox batch `id` was imported into, or nil when there is no such batch.
    func batchInbox(_ id: Int64) throws -> String?
    /// True when a statement reaches the database (`/readyz`).
    func isReachable() -> Bool
    /// Batch `id`'s calls by status and outcome, attempts per hour and calls due by local hour.
    func batchActivity(_ id: Int64, now: Date, hours: Int) throws -> BatchActivity

    /// Every batch, oldest first, with its call counts by status.
    func batches() throws -> [BatchSummary]

    /// Every call of batch `id` in id order, as stored (tests and diagnostics).
    func storedCalls(batch id: Int64) throws -> [StoredCall]

    /// Records where a claimed file was archived, with its final report.
    func fileArchived(claimKey: String, archivedAs: String, report: String) throws
    /// Frees what the engine caches (the daemon calls it after each file).
    func releaseMemory()

    // MARK: The dialer

    /// Every pending call with a next attempt time, in due-index order (time, then id), for
    /// `simulate`; `variablesJSON` empty, or with `stateColumn` only the row's `state` column.
    func scheduledCalls(stateColumn: Bool) throws -> [DueCall]
    /// Calls with an attempt left open (`dialing`), for `simulate`; `attempts` is the open one's number.
    func callsInFlight(stateColumn: Bool) throws -> [DueCall]
    /// Pending calls due at or before `now`, earliest first (then by id), but those of the `skipped` batches.
    func dueCalls(now: Int64, limit: Int, excluding skipped: Set<Int64>) throws -> [DueCall]
    /// How many pending calls are due at or before `now`.
    func dueCount(now: Int64) throws -> Int
    /// The earliest next attempt time among pending calls, leaving out the `skipped` batches.
    func nextDue(excluding skipped: Set<Int64>) throws -> Int64?
    /// The settings a batch was imported with.
    func settings(batch id: Int64) throws -> BatchSettings?
    /// Moves a pending call to a later time.
    func reschedule(call id: Int64, to time: Int64) throws
    /// Ends a call without dialing: final with `outcome`.
    func finishWithoutDialing(call id: Int64, outcome: UndialedEnd) throws
    /// Records attempt `attempt` BEFORE it is placed, if the call is still pending with
    /// `attempt - 1` attempts and `limits` leave room (`atLimit` otherwise; checked across nodes
    /// on PostgreSQL); a number on the do-not-call list ends `suppressed` instead.
    func beginAttempt(call: DueCall, attempt: Int, key: String, callingNumber: String?, at: Date,
                      limits: AttemptLimits) throws -> AttemptStart
    /// Closes an open attempt with its outcome; the call is due again at `next`, or final when nil.
    /// False (nothing written) when the attempt was closed already (another node took its webhook),
    /// but for a close with this very outcome and time (``closeOpenAttempts(at:keepingProviderCalls:)``
    /// closes, then the retry rules schedule the call through this).
    @discardableResult
    func finishAttempt(callId: Int64, attempt: Int, outcome: CallOutcome, durationSec: Double, endedAt: Date,
                       next: Int64?, listNumber: String?) throws -> Bool
    /// Attempts this process (node) left open: closed as `failed` now, returned for the retry rules.
    func closeOpenAttempts(at now: Date, keepingProviderCalls: Bool) throws -> [OpenAttempt]
    /// Records this node's heartbeat and closes as `failed` the attempts in flight of every node
    /// silent for `leaseSeconds` (SPEC §11), returned for the retry rules. None on SQLite: one node.
    func takeOverSilentNodes(leaseSeconds: Double, at now: Date, keepingProviderCalls: Bool) throws -> [OpenAttempt]
    /// Stores the provider's call id of an open attempt.
    func setProviderCallId(_ id: String, callId: Int64, attempt: Int) throws
    /// This node's attempts a provider accepted that have no outcome yet, oldest first.
    func openProviderAttempts() throws -> [ProviderAttempt]
    /// The open attempt with this provider call id, if any.
    func openProviderAttempt(_ id: String) throws -> ProviderAttempt?
    /// True when an attempt with this provider call id exists.
    func hasProviderCall(_ id: String) throws -> Bool
    /// Withdraws an open attempt nothing was placed for; the call is due again at `due`.
    func withdrawAttempt(callId: Int64, attempt: Int, due: Int64) throws
    /// Every attempt started at or after `since`, as (number, start).
    func attemptStarts(since: Date) throws -> [(phoneNumber: String, startedAt: Date)]
    /// When the attempts to each of `phoneNumbers` started, at or after `since`, most recent first.
    func attemptStarts(phoneNumbers: [String], since: Date) throws -> [String: [Date]]
    /// `pause`, `resume`, `cancel`; returns the batch's new status.
    func control(batch id: Int64, _ command: BatchCommand, strict: Bool) throws -> String
}

/// Where an import puts its valid calls, a batch at a time, in file order.
public protocol CallSink {
    /// The batch being filled (committed only if the import commits).
    var batchId: Int64 { get }
    /// Adds `calls` in order. Returns, for each call whose number the batch already holds (from an
    /// earlier row), its index in `calls` and the row number of the call holding the number.
    func insert(_ calls: PackedCalls) throws -> [(index: Int, firstRow: Int)]
    /// Called once after the last `insert`: the duplicates an engine found only with every call in
    /// (PostgreSQL dedupes the whole file in one statement). None by default.
    func finish() throws -> LateDuplicates
}

extension CallSink {
    public func finish() throws -> LateDuplicates { LateDuplicates() }
}

/// Duplicate rows found at the end of an import: how many, and the first of them in row order
/// (at most `ImportReport.listLimit`).
public struct LateDuplicates: Sendable {
    public var count = 0
    public var rows: [ImportReport.DuplicateRow] = []

    public init(count: Int = 0, rows: [ImportReport.DuplicateRow] = []) {
        self.count = count
        self.rows = rows
    }
}

extension Store: StoreEngine {
    public var sharedByNodes: Bool { false }
    /// One node per SQLite database (the daemon lock): nothing to take over.
    public func takeOverSilentNodes(leaseSeconds: Double, at now: Date, keepingProviderCalls: Bool) throws -> [OpenAttempt] { [] }
    /// One node per SQLite database: every claim in its work folders is its own.
    public func holdClaim(_ key: String, leaseSeconds: Double) throws -> Bool { true }
    public func endClaim(_ key: String) throws {}

    public func importCalls(_ draft: BatchDraft, body: (any CallSink) throws -> ImportDecision) throws -> Int64? {
        try importBatch(draft) { inserter in try body(inserter) }
    }

}

extension CallInserter: CallSink {}

extension StoreEngine {
    public func createKey(name: String, role: KeyRole, inboxes: [String]) throws -> (key: APIKey, secret: String) {
        try createKey(name: name, role: role, inboxes: inboxes, at: Date())
    }

    public func revokeKey(name: String) throws { try revokeKey(name: name, at: Date()) }

    public func batchActivity(_ id: Int64, now: Date) throws -> BatchActivity { try batchActivity(id, now: now, hours: 24) }

    public func batchDetails(_ id: Int64, _ query: CallQuery, compliance: [ComplianceRule] = []) throws -> BatchDetails {
        try batchDetails(id, query, compliance: compliance, visible: { _ in true })
    }

    /// `beginAttempt` without limits (the tests' and one-shot tools' form).
    public func beginAttempt(call: DueCall, attempt: Int, key: String, callingNumber: String?, at: Date) throws -> AttemptStart {
        try beginAttempt(call: call, attempt: attempt, key: key, callingNumber: callingNumber, at: at, limits: .unlimited)
    }
}
