import DropdialBase
import DropdialImport
import DropdialConfig
import Foundation
import GRDB
import GRDBSQLite

/// Inserts calls into one batch inside the import's transaction, through one prepared statement
/// bound directly on SQLite (no per-row argument arrays or date formatting). The batch's
/// UNIQUE(batchId, phoneNumber) index doubles as the file's dedupe set, so memory stays flat
/// whatever the row count: a number already in the batch is not inserted and its first row is
/// returned instead.
public final class CallInserter {
    let statement: Statement
    /// The same insert for `chunkSize` rows at once (one statement execution per chunk).
    let chunkStatement: Statement
    let firstRowStatement: Statement
    /// Every call this inserter adds has an id above this one (the highest id before it started).
    let idsAbove: Int64
    static let chunkSize = 64
    /// `createdAt` as stored, as bytes (bound without copying).
    private let createdAtBytes: [UInt8]
    /// The batch being filled (committed only if the import commits).
    public let batchId: Int64
    let createdAt: Date
    /// `createdAt` as GRDB stores dates, formatted once.
    private let createdAtText: String

    /// Unix seconds from which the dialer considers the calls: max(import time, scheduledAt).
    let firstDue: Int64
    /// Parameters bound per row.
    static let columns: Int32 = 8
    /// Calls this inserter has added (the batch's `callCount` when the import commits).
    public private(set) var inserted = 0

    init(db: Database, batchId: Int64, createdAt: Date, scheduledAt: Date?) throws {
        statement = try db.makeStatement(sql: """
            INSERT INTO call (batchId, rowNumber, phoneNumber, variables, timezone, zones, createdAt, nextAttemptAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(batchId, phoneNumber) DO NOTHING
            """)
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: Self.chunkSize).joined(separator: ", ")
        chunkStatement = try db.makeStatement(sql: """
            INSERT INTO call (batchId, rowNumber, phoneNumber, variables, timezone, zones, createdAt, nextAttemptAt)
            VALUES \(values)
            ON CONFLICT(batchId, phoneNumber) DO NOTHING
            """)
        firstRowStatement = try db.makeStatement(sql: "SELECT rowNumber FROM call WHERE batchId = ? AND phoneNumber = ?")
        idsAbove = try CallSearch.lastId(db)
        self.batchId = batchId
        self.createdAt = createdAt
        createdAtText = String.fromDatabaseValue(createdAt.databaseValue) ?? ""
        createdAtBytes = Array(createdAtText.utf8) + [0]
        firstDue = Int64(max(createdAt, scheduledAt ?? createdAt).timeIntervalSince1970.rounded(.up))
    }

    /// Adds one call. Returns nil when inserted, or the row number of the call already holding
    /// the same number in this batch (a duplicate: nothing is inserted).
    @discardableResult
    public func insert(_ call: CallDraft) throws -> Int? {
        let stmt = statement.sqliteStatement
        sqlite3_reset(stmt)
        sqlite3_bind_int64(stmt, 1, batchId)
        sqlite3_bind_int64(stmt, 2, Int64(call.rowNumber))
        sqlite3_bind_int64(stmt, 8, firstDue)
        let rc = Self.bindText(stmt, 3, call.phoneNumber) { stmt in
            Self.bindText(stmt, 4, call.variablesJSON) { stmt in
                Self.bindText(stmt, 5, call.timezone) { stmt in
                    Self.bindText(stmt, 6, call.zones) { stmt in
                        Self.bindText(stmt, 7, createdAtText) { sqlite3_step($0) }
                    }
                }
            }
        }
        sqlite3_clear_bindings(stmt)
        guard rc == SQLITE_DONE else { throw Self.error(rc, stmt) }
        if sqlite3_changes(sqlite3_db_handle(stmt)) > 0 {
            inserted += 1
            return nil
        }
        return try firstRow(of: call.phoneNumber)
    }

    /// Adds `calls` in order, 64 rows per statement execution. Returns, for each call that was a
    /// duplicate of a number already in the batch (or earlier in `calls`), its index in `calls`
    /// and the row number of the call holding the number.
    public func insert(contentsOf calls: [CallDraft]) throws -> [(index: Int, firstRow: Int)] {
        var packed = PackedCalls(capacity: calls.count)
        for call in calls { packed.append(call) }
        return try insert(packed)
    }

    /// Adds the packed calls in order, 64 rows per statement execution, binding their texts
    /// straight from the packed buffer. Returns, for each call that was a duplicate of a number
    /// already in the batch (or earlier in `calls`), its index and the row number holding the number.
    public func insert(_ calls: PackedCalls) throws -> [(index: Int, firstRow: Int)] {
        var duplicates: [(index: Int, firstRow: Int)] = []
        try calls.bytes.withUnsafeBufferPointer { buffer in
            try createdAtBytes.withUnsafeBufferPointer { created in
                let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? emptyCString
                let createdAt = UnsafeRawPointer(created.baseAddress!).assumingMemoryBound(to: CChar.self)
                var i = 0
                while i < calls.count {
                    let n = calls.count - i >= Self.chunkSize ? Self.chunkSize : 1
                    let stmt = (n == 1 ? statement : chunkStatement).sqliteStatement
                    sqlite3_reset(stmt)
                    var rc = SQLITE_OK
                    for row in i..<(i + n) where rc == SQLITE_OK {
                        rc = bind(stmt, Int32(row - i) * Self.columns + 1, calls, row, base, createdAt, Int32(created.count))
                    }
                    if rc == SQLITE_OK { rc = sqlite3_step(stmt) }
                    guard rc == SQLITE_DONE else {
                        let error = Self.error(rc, stmt)
                        sqlite3_reset(stmt)
                        throw error
                    }
                    sqlite3_reset(stmt)
                    let added = Int(sqlite3_changes(sqlite3_db_handle(stmt)))
                    inserted += added
                    if added < n {
                        // Some rows were skipped as duplicates: a row whose number another row holds.
                        for row in i..<(i + n) {
                            let first = try firstRow(of: calls.phoneNumber(at: row))
                            if first != calls.rowNumbers[row] { duplicates.append((row, first)) }
                        }
                    }
                    i += n
                }
            }
        }
        return duplicates
    }

    /// Binds call `row` of `calls` at parameters `first`..<`first + 8` (SQLITE_STATIC: the
    /// buffers outlive the step).
    @inline(__always)
    private func bind(_ stmt: SQLiteStatement, _ first: Int32, _ calls: PackedCalls, _ row: Int,
                      _ base: UnsafePointer<CChar>, _ createdAt: UnsafePointer<CChar>, _ createdAtCount: Int32) -> Int32 {
        sqlite3_bind_int64(stmt, first, batchId)
        sqlite3_bind_int64(stmt, first + 1, Int64(calls.rowNumbers[row]))
        sqlite3_bind_int64(stmt, first + 7, firstDue)
        for j in 0..<4 {
            let span = calls.spans[row * 4 + j]
            let rc = span.length < 0 ? sqlite3_bind_null(stmt, first + 2 + Int32(j))
                : sqlite3_bind_text(stmt, first + 2 + Int32(j), base + Int(span.offset), span.length, nil)
            guard rc == SQLITE_OK else { return rc }
        }
        return sqlite3_bind_text(stmt, first + 6, createdAt, createdAtCount, nil)
    }

    /// The row number of the call holding `phoneNumber` in this batch.
    private func firstRow(of phoneNumber: String) throws -> Int {
        let lookup = firstRowStatement.sqliteStatement
        sqlite3_reset(lookup)
        sqlite3_bind_int64(lookup, 1, batchId)
        let rc = Self.bindText(lookup, 2, phoneNumber) { sqlite3_step($0) }
        defer { sqlite3_reset(lookup); sqlite3_clear_bindings(lookup) }
        guard rc == SQLITE_ROW else { throw Self.error(rc, lookup) }
        return Int(sqlite3_column_int64(lookup, 0))
    }

    /// Binds `text` (or NULL) without copying it, for the duration of `body`.
    @inline(__always)
    private static func bindText(_ stmt: SQLiteStatement, _ index: Int32, _ text: String?,
                                 _ body: (SQLiteStatement) -> Int32) -> Int32 {
        guard var text else {
            sqlite3_bind_null(stmt, index)
            return body(stmt)
        }
        return text.withUTF8 { bytes in
            // A NULL pointer would bind NULL: an empty string binds a zero-length text.
            let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? emptyCString
            let rc = sqlite3_bind_text(stmt, index, base, Int32(bytes.count), nil)  // SQLITE_STATIC
            guard rc == SQLITE_OK else { return rc }
            return body(stmt)
        }
    }

    private static func error(_ rc: Int32, _ stmt: SQLiteStatement) -> DatabaseError {
        let db = sqlite3_db_handle(stmt)
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.map { String(cString: sqlite3_errmsg($0)) },
                             sql: sqlite3_sql(stmt).map { String(cString: $0) })
    }
}

/// A NUL byte that lives forever: what an empty string binds to.
nonisolated(unsafe) private let emptyCString: UnsafePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    p.pointee = 0
    return UnsafePointer(p)
}()

/// Calls packed for the inserter by the thread that validates them: every text in one byte buffer
/// (phone, variables, timezone or NULL, zones per call), so the inserting thread binds them
/// without copying, retaining or freeing per row.
public struct PackedCalls: Sendable {
    struct Span: Sendable {
        var offset: Int32
        /// -1 for NULL.
        var length: Int32
    }

    private(set) var bytes: [UInt8] = []
    private(set) var spans: [Span] = []
    public private(set) var rowNumbers: [Int] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity * 256)
        spans.reserveCapacity(capacity * 4)
        rowNumbers.reserveCapacity(capacity)
    }

    public var count: Int { rowNumbers.count }
    public var isEmpty: Bool { rowNumbers.isEmpty }
    /// The packed text's size: batches are handed over by bytes as well as by count, so rows
    /// with huge cells never pile up (nor overflow the 32-bit spans).
    public var byteCount: Int { bytes.count }

    public mutating func append(_ call: CallDraft) {
        rowNumbers.append(call.rowNumber)
        add(call.phoneNumber)
        add(call.variablesJSON)
        add(call.timezone)
        add(call.zones)
    }

    /// The E.164 number of call `index`.
    public func phoneNumber(at index: Int) -> String {
        let span = spans[index * 4]
        return String(decoding: bytes[Int(span.offset)..<Int(span.offset + span.length)], as: UTF8.self)
    }

    private mutating func add(_ text: String?) {
        guard var text else {
            spans.append(Span(offset: 0, length: -1))
            return
        }
        let offset = bytes.count
        text.withUTF8 { bytes.append(contentsOf: $0) }
        precondition(bytes.count <= Int(Int32.max), "packed calls over 2 GiB")
        spans.append(Span(offset: Int32(offset), length: Int32(bytes.count - offset)))
    }
}

/// The same content was already committed into the inbox, as `batchId`; nothing was written.
public struct DuplicateContent: Error, Sendable, Equatable {
    public var batchId: Int64
}

/// What the import body decided once every row was read.
public enum ImportDecision: Sendable {
    /// Commit with these counts; `report` (JSON) is stored with the file record.
    case commit(ImportCounts, report: String?)
    case rollback
}

extension Store {
    /// Creates a batch and its calls in ONE transaction: `body` streams the calls in; a thrown
    /// error or `.rollback` leaves the database exactly as it was. Returns the batch id on commit.
    ///
    /// The content check holds inside the transaction: when the same content (inbox, SHA-256) was
    /// committed by anyone — another `dropdial import`, the daemon, an upload — before this write
    /// transaction began, nothing is written and ``DuplicateContent`` is thrown. A unique index on
    /// the imported files backs it, so two batches of one content cannot both commit.
    public func importBatch(_ draft: BatchDraft, body: (CallInserter) throws -> ImportDecision) throws -> Int64? {
        do {
            return try writeBatch(draft, body: body)
        } catch is RollbackSignal {
            return nil
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                    && (error.message ?? "").contains("importedFile") {
            guard let earlier = try batchImported(inbox: draft.inbox, sha256: draft.sha256) else { throw error }
            throw DuplicateContent(batchId: earlier)
        }
    }

    private func writeBatch(_ draft: BatchDraft, body: (CallInserter) throws -> ImportDecision) throws -> Int64 {
        try pool.write { db -> Int64 in
            // A 32 MB page cache (default 2 MB) for the bulk insert: the UNIQUE(batchId, phoneNumber)
            // index takes numbers in file order, i.e. at random places; with the small cache its
            // pages spill to the WAL and are read back over and over (1M random numbers: 8.5 s
            // -> 5.2 s in sqlite3 alone). Bounded: memory stops growing once the cache is full.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Back to SQLite's default once the import is over, so the writer does not keep
            // 32 MB of pages for the rest of the daemon's life.
            defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
            if let earlier = try Self.importedBatch(db, inbox: draft.inbox, sha256: draft.sha256) {
                throw DuplicateContent(batchId: earlier)
            }
            let settings = String(decoding: try JSONEncoder.store.encode(draft.settings), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO batch (name, inbox, status, settings, sourceFile, sha256, createdAt)
                VALUES (?, ?, \(BatchStatus.scheduled.sql), ?, ?, ?, ?)
                """, arguments: [draft.name, draft.inbox, settings, draft.sourceFile, draft.sha256, draft.createdAt])
            let batchId = db.lastInsertedRowID
            let inserter = try CallInserter(db: db, batchId: batchId, createdAt: draft.createdAt,
                                            scheduledAt: draft.settings.scheduledAt)
            switch try body(inserter) {
            case .rollback:
                throw RollbackSignal()
            case .commit(let c, let report):
                // The import holds the only write transaction: every call id in the range is this batch's.
                try db.execute(sql: """
                    UPDATE batch SET rows = ?, imported = ?, invalid = ?, duplicates = ?, suppressed = ?,
                        callCount = ?, importedIdsFrom = ?, importedIdsTo = ? WHERE id = ?
                    """, arguments: [c.rows, c.imported, c.invalid, c.duplicates, c.suppressed, inserter.inserted,
                                     inserter.idsAbove + 1, try CallSearch.lastId(db), batchId])
                try Self.saveFile(db, inbox: draft.inbox, fileName: draft.sourceFile, sha256: draft.sha256,
                                  size: draft.size, format: draft.format, state: "imported", batchId: batchId,
                                  claimKey: draft.claimKey, report: report, at: draft.createdAt)
                return batchId
            }
        }
    }

    /// The batch an earlier import of the same content into `inbox` created, if any.
    public func batchImported(inbox: String, sha256: String) throws -> Int64? {
        try pool.read { db in try Self.importedBatch(db, inbox: inbox, sha256: sha256) }
    }

    static func importedBatch(_ db: Database, inbox: String, sha256: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT batchId FROM importedFile
            WHERE inbox = ? AND sha256 = ? AND state = 'imported' AND batchId IS NOT NULL
            ORDER BY id LIMIT 1
            """, arguments: [inbox, sha256])
    }

    /// The committed import of a claimed file, if its transaction finished before a crash:
    /// the batch id and the report JSON stored with it.
    public func committedClaim(_ claimKey: String) throws -> (batchId: Int64, report: String?)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT batchId, report FROM importedFile WHERE claimKey = ? AND state = 'imported' LIMIT 1
                """, arguments: [claimKey]), let id: Int64 = row["batchId"] else { return nil }
            return (id, row["report"])
        }
    }

    /// Records a file's pickup state (`claimed`, then `rejected`, `duplicate` or `failed`; `imported`
    /// is written by the import transaction). A claimed file has one row, updated as it moves on.
    public func recordFile(inbox: String, fileName: String, sha256: String, size: Int64, format: String?,
                           state: String, batchId: Int64?, claimKey: String? = nil, at: Date) throws {
        try pool.write { db in
            try Self.saveFile(db, inbox: inbox, fileName: fileName, sha256: sha256, size: size, format: format,
                              state: state, batchId: batchId, claimKey: claimKey, report: nil, at: at)
        }
    }

    /// Updates the row of `claimKey` when there is one, else inserts a row.
    static func saveFile(_ db: Database, inbox: String, fileName: String, sha256: String, size: Int64,
                         format: String?, state: String, batchId: Int64?, claimKey: String?, report: String?,
                         at: Date) throws {
        if let claimKey {
            try db.execute(sql: """
                UPDATE importedFile SET sha256 = ?, size = ?, format = ?, state = ?, batchId = ?,
                    report = COALESCE(?, report), updatedAt = ?
                WHERE claimKey = ?
                """, arguments: [sha256, size, format, state, batchId, report, at, claimKey])
            if db.changesCount > 0 { return }
        }
        try db.execute(sql: """
            INSERT INTO importedFile
                (inbox, fileName, sha256, size, format, state, batchId, claimKey, report, createdAt, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [inbox, fileName, sha256, size, format, state, batchId, claimKey, report, at, at])
    }

    /// The pickup state of every file of `inbox`, newest first (for tests and diagnostics).
    public func fileStates(inbox: String) throws -> [(fileName: String, state: String, batchId: Int64?)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT fileName, state, batchId FROM importedFile WHERE inbox = ? ORDER BY id DESC",
                             arguments: [inbox]).map { ($0["fileName"], $0["state"], $0["batchId"]) }
        }
    }
}

struct RollbackSignal: Error {}

extension JSONEncoder {
    /// Settings JSON as stored: `JSONStyle`, compact.
    static var store: JSONEncoder { JSONStyle.encoder(pretty: false) }
}

extension JSONDecoder {
    /// Reads what `JSONEncoder.store` wrote, and the whole-second instants of earlier versions.
    static var store: JSONDecoder { JSONStyle.decoder() }
}
