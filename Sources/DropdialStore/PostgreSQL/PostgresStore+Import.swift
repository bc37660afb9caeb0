import DropdialBase
import DropdialConfig
import DropdialImport
import Foundation

extension PostgresStore: StoreEngine {
    public func batchImported(inbox: String, sha256: String) throws -> Int64? {
        try withConnection { c in try Self.importedBatch(c, inbox: inbox, sha256: sha256) }
    }

    static func importedBatch(_ c: PGConnection, inbox: String, sha256: String) throws -> Int64? {
        try c.query("""
            SELECT batchId FROM importedFile
            WHERE inbox = $1 AND sha256 = $2 AND state = 'imported' AND batchId IS NOT NULL
            ORDER BY id LIMIT 1
            """, [inbox, sha256]).int(0, 0)
    }

    /// One transaction, as on SQLite. The calls go through `COPY` into a temporary table a batch at
    /// a time and from there into `call` in row order, the batch's UNIQUE(batchId, phoneNumber)
    /// deciding which row of a number is kept (the first), as on SQLite; no dedupe set grows with
    /// the file. The content check is the unique index on imported files, so of two nodes
    /// importing one content at once only one commits.
    public func importCalls(_ draft: BatchDraft, body: (any CallSink) throws -> ImportDecision) throws -> Int64? {
        do {
            return try withConnection { c in
                try c.transaction { () throws -> Int64 in
                    if let earlier = try Self.importedBatch(c, inbox: draft.inbox, sha256: draft.sha256) {
                        throw DuplicateContent(batchId: earlier)
                    }
                    let settings = String(decoding: try JSONEncoder.store.encode(draft.settings), as: UTF8.self)
                    guard let batchId = try c.query("""
                        INSERT INTO batch (name, inbox, status, settings, sourceFile, sha256, createdAt)
                        VALUES ($1, $2, \(BatchStatus.scheduled.sql), $3, $4, $5, to_timestamp($6)) RETURNING id
                        """, [draft.name, draft.inbox, settings, draft.sourceFile, draft.sha256,
                              PGTime.seconds(draft.createdAt)]).int(0, 0) else {
                        throw StoreError.database("INSERT INTO batch returned no id")
                    }
                    let sink = try PostgresCallSink(c, batchId: batchId, createdAt: draft.createdAt,
                                                    scheduledAt: draft.settings.scheduledAt)
                    switch try body(sink) {
                    case .rollback:
                        throw RollbackSignal()
                    case .commit(let n, let report):
                        // Call ids come from a sequence other nodes draw on too, so a batch's ids need
                        // not be contiguous: no imported-id range is recorded.
                        try c.query("""
                            UPDATE batch SET rows = $1, imported = $2, invalid = $3, duplicates = $4, suppressed = $5,
                                callCount = $6 WHERE id = $7
                            """, [String(n.rows), String(n.imported), String(n.invalid), String(n.duplicates),
                                  String(n.suppressed), String(sink.inserted), String(batchId)])
                        try Self.saveFile(c, inbox: draft.inbox, fileName: draft.sourceFile, sha256: draft.sha256,
                                          size: draft.size, format: draft.format, state: "imported", batchId: batchId,
                                          claimKey: draft.claimKey, report: report, at: draft.createdAt)
                        return batchId
                    }
                }
            }
        } catch is RollbackSignal {
            return nil
        } catch StoreError.postgres(let error) where error.sqlState == PGError.uniqueViolation
                    && error.constraint == "importedfile_content" {
            guard let earlier = try batchImported(inbox: draft.inbox, sha256: draft.sha256) else {
                throw StoreError.postgres(error)
            }
            throw DuplicateContent(batchId: earlier)
        }
    }

    public func committedClaim(_ claimKey: String) throws -> (batchId: Int64, report: String?)? {
        try withConnection { c in
            let rows = try c.query("""
                SELECT batchId, report FROM importedFile WHERE claimKey = $1 AND state = 'imported' LIMIT 1
                """, [claimKey])
            guard let id = rows.int(0, 0) else { return nil }
            return (id, rows.string(0, 1))
        }
    }

    public func recordFile(inbox: String, fileName: String, sha256: String, size: Int64, format: String?,
                           state: String, batchId: Int64?, claimKey: String? = nil, at: Date) throws {
        try withConnection { c in
            try c.transaction {
                try Self.saveFile(c, inbox: inbox, fileName: fileName, sha256: sha256, size: size, format: format,
                                  state: state, batchId: batchId, claimKey: claimKey, report: nil, at: at)
            }
        }
    }

    /// Updates the row of `claimKey` when there is one, else inserts a row (as on SQLite).
    static func saveFile(_ c: PGConnection, inbox: String, fileName: String, sha256: String, size: Int64,
                         format: String?, state: String, batchId: Int64?, claimKey: String?, report: String?,
                         at: Date) throws {
        let at = PGTime.seconds(at)
        if let claimKey {
            let updated = try c.query("""
                UPDATE importedFile SET sha256 = $1, size = $2, format = $3, state = $4, batchId = $5,
                    report = COALESCE($6, report), updatedAt = to_timestamp($7)
                WHERE claimKey = $8
                """, [sha256, String(size), format, state, batchId.map(String.init), report, at, claimKey])
            if updated.changes > 0 { return }
        }
        try c.query("""
            INSERT INTO importedFile
                (inbox, fileName, sha256, size, format, state, batchId, claimKey, report, createdAt, updatedAt)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10), to_timestamp($10))
            """, [inbox, fileName, sha256, String(size), format, state, batchId.map(String.init), claimKey, report, at])
    }

    public func fileStates(inbox: String) throws -> [(fileName: String, state: String, batchId: Int64?)] {
        try withConnection { c in
            let rows = try c.query("SELECT fileName, state, batchId FROM importedFile WHERE inbox = $1 ORDER BY id DESC",
                                   [inbox])
            return (0..<rows.count).map { (rows.string($0, 0) ?? "", rows.string($0, 1) ?? "", rows.int($0, 2)) }
        }
    }

    public func dncNumbers() throws -> [String] {
        try withConnection { c in
            let rows = try c.query("SELECT DISTINCT phoneNumber FROM dnc")
            return (0..<rows.count).compactMap { rows.string($0, 0) }
        }
    }

    public func batches() throws -> [BatchSummary] {
        try withConnection { c in
            let rows = try c.query("""
                SELECT id, name, inbox, status, sourceFile, extract(epoch FROM createdAt),
                    rows, imported, invalid, duplicates, suppressed
                FROM batch ORDER BY id
                """)
            var list = (0..<rows.count).map { r in
                BatchSummary(id: rows.int(r, 0) ?? 0, name: rows.string(r, 1) ?? "", inbox: rows.string(r, 2) ?? "",
                             status: rows.string(r, 3) ?? "", sourceFile: rows.string(r, 4),
                             createdAt: PGTime.date(rows.string(r, 5)) ?? Date(timeIntervalSince1970: 0),
                             counts: .init(rows: Int(rows.int(r, 6) ?? 0), imported: Int(rows.int(r, 7) ?? 0),
                                           invalid: Int(rows.int(r, 8) ?? 0), duplicates: Int(rows.int(r, 9) ?? 0),
                                           suppressed: Int(rows.int(r, 10) ?? 0)))
            }
            let index = Dictionary(uniqueKeysWithValues: list.indices.map { (list[$0].id, $0) })
            let counts = try c.query("SELECT batchId, status, COUNT(*) FROM call GROUP BY batchId, status")
            for r in 0..<counts.count {
                if let id = counts.int(r, 0), let i = index[id], let status = counts.string(r, 1) {
                    list[i].calls[status] = Int(counts.int(r, 2) ?? 0)
                }
            }
            return list
        }
    }
}

/// Puts an import's calls into its batch on PostgreSQL the way PostgreSQL loads fastest: the
/// whole file streams through one `COPY` (text format) into a temporary table as the calls are
/// validated; once the last one is in, the later rows of each repeated number move to a table of
/// duplicates, and the rest go into `call` in row order with one plain `INSERT … SELECT` (the batch
/// is new, so nothing else can conflict: no `ON CONFLICT` probing). No dedupe set grows in
/// dropdial's memory; the server hashes.
final class PostgresCallSink: CallSink {
    let batchId: Int64
    private let connection: PGConnection
    private let createdAt: String
    /// Unix seconds from which the dialer considers the calls: max(import time, scheduledAt).
    private let firstDue: String
    private(set) var inserted = 0
    private var staged = 0
    /// The COPY text of one handed-over batch, reused.
    private var text: [UInt8] = []

    init(_ connection: PGConnection, batchId: Int64, createdAt: Date, scheduledAt: Date?) throws {
        self.connection = connection
        self.batchId = batchId
        self.createdAt = PGTime.seconds(createdAt)
        firstDue = String(Int64(max(createdAt, scheduledAt ?? createdAt).timeIntervalSince1970.rounded(.up)))
        try connection.execute("""
            CREATE TEMP TABLE import_staging (rowNumber bigint, phoneNumber text COLLATE "C", variables text,
                timezone text, zones text) ON COMMIT DROP
            """)
        try connection.beginCopy("COPY import_staging FROM STDIN")
    }

    func insert(_ calls: PackedCalls) throws -> [(index: Int, firstRow: Int)] {
        guard !calls.isEmpty else { return [] }
        encode(calls)
        try text.withUnsafeBytes { bytes in try connection.sendCopy(bytes) }
        staged += calls.count
        return []
    }

    func finish() throws -> LateDuplicates {
        try connection.endCopy()
        // Planning and JIT-compiling these few statements costs more than it saves; the sorts and
        // hashes may use this much memory before spilling to disk.
        try connection.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        // Every later row of a number that occurs more than once is a duplicate of its first row:
        // found by one hash aggregate over (number, row) and taken out of the staging table.
        try connection.execute("""
            CREATE TEMP TABLE import_duplicates (rowNumber bigint, phoneNumber text, firstRow bigint) ON COMMIT DROP;
            WITH firsts AS (
                SELECT phoneNumber, min(rowNumber) AS firstRow FROM import_staging GROUP BY phoneNumber HAVING count(*) > 1
            ), taken AS (
                DELETE FROM import_staging s USING firsts f WHERE s.phoneNumber = f.phoneNumber AND s.rowNumber <> f.firstRow
                RETURNING s.rowNumber, s.phoneNumber, f.firstRow
            )
            INSERT INTO import_duplicates SELECT * FROM taken;
            CREATE INDEX ON import_staging (rowNumber);
            """)
        // The rest are this batch's calls, each number once: inserted in row order (the index
        // reads them in the order COPY appended them, no sort), with no conflict to check.
        inserted = try connection.query("""
            INSERT INTO call (batchId, rowNumber, phoneNumber, variables, timezone, zones, createdAt, nextAttemptAt)
            SELECT $1, rowNumber, phoneNumber, variables, timezone, zones, to_timestamp($2), $3
            FROM import_staging ORDER BY rowNumber
            """, [String(batchId), createdAt, firstDue]).changes
        var late = LateDuplicates(count: staged - inserted)
        if late.count > 0 {
            let rows = try connection.query("""
                SELECT rowNumber, phoneNumber, firstRow FROM import_duplicates ORDER BY rowNumber LIMIT \(ImportReport.listLimit)
                """)
            late.rows = (0..<rows.count).map {
                .init(row: Int(rows.int($0, 0) ?? 0), phoneNumber: rows.string($0, 1) ?? "", firstRow: Int(rows.int($0, 2) ?? 0))
            }
        }
        return late
    }

    /// COPY's text format: one line per call, tab-separated, `\N` for NULL, and backslash, tab,
    /// newline and carriage return escaped. PostgreSQL text cannot hold NUL: it becomes U+FFFD.
    private func encode(_ calls: PackedCalls) {
        text.removeAll(keepingCapacity: true)
        text.reserveCapacity(calls.byteCount + calls.count * 24)
        calls.bytes.withUnsafeBufferPointer { bytes in
            for row in 0..<calls.count {
                text.append(contentsOf: String(calls.rowNumbers[row]).utf8)
                for j in 0..<4 {
                    text.append(0x09)
                    let span = calls.spans[row * 4 + j]
                    if span.length < 0 {
                        text.append(0x5C); text.append(0x4E)  // \N
                        continue
                    }
                    for b in bytes[Int(span.offset)..<Int(span.offset + span.length)] {
                        switch b {
                        case 0x5C: text.append(0x5C); text.append(0x5C)
                        case 0x09: text.append(0x5C); text.append(0x74)
                        case 0x0A: text.append(0x5C); text.append(0x6E)
                        case 0x0D: text.append(0x5C); text.append(0x72)
                        case 0x00: text.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        default: text.append(b)
                        }
                    }
                }
                text.append(0x0A)
            }
        }
    }
}
