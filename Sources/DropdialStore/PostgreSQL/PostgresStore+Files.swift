import DropdialImport
import Foundation

extension PostgresStore {
    public func files(inboxes: [String], status: FileOutcome?, page: Int, limit: Int) throws -> FileList {
        try withConnection { c in
            var binds: [String?] = [Self.jsonList(status.map { [$0.rawValue] } ?? FileOutcome.allCases.map(\.rawValue))]
            var predicate = "state IN (SELECT jsonb_array_elements_text($1::jsonb))"
            if !inboxes.isEmpty {
                binds.append(Self.jsonList(inboxes))
                predicate += " AND inbox IN (SELECT jsonb_array_elements_text($2::jsonb))"
            }
            let total = Int(try c.query("SELECT count(*) FROM importedFile WHERE \(predicate)", binds).int(0, 0) ?? 0)
            let r = try c.query("""
                SELECT \(Self.fileColumns) FROM importedFile WHERE \(predicate) ORDER BY id DESC
                LIMIT $\(binds.count + 1) OFFSET $\(binds.count + 2)
                """, binds + [String(limit), String((page - 1) * limit)])
            return FileList(page: page, limit: limit, total: total, files: (0..<r.count).map { Self.fileEntry(r, $0) })
        }
    }

    public func file(_ id: Int64) throws -> (entry: FileEntry, report: String?)? {
        try withConnection { c in
            let r = try c.query("""
                SELECT \(Self.fileColumns), report FROM importedFile
                WHERE id = $1 AND state IN (SELECT jsonb_array_elements_text($2::jsonb))
                """, [String(id), Self.jsonList(FileOutcome.allCases.map(\.rawValue))])
            guard r.count == 1 else { return nil }
            return (Self.fileEntry(r, 0), r.string(0, 8))
        }
    }

    public func batchInbox(_ id: Int64) throws -> String? {
        try withConnection { c in try c.query("SELECT inbox FROM batch WHERE id = $1", [String(id)]).string(0, 0) }
    }

    public func isReachable() -> Bool {
        (try? withConnection { c in try c.query("SELECT 1").int(0, 0) }) == 1
    }

    /// The name as received (the report's `receivedAs`, else the file name), and the report's counts.
    static let fileColumns = """
        id, inbox, COALESCE(report::jsonb ->> 'receivedAs', fileName), archivedAs, state, batchId,
        (report::jsonb -> 'counts')::text, extract(epoch FROM createdAt)
        """

    static func fileEntry(_ r: PGRows, _ i: Int) -> FileEntry {
        let counts = r.string(i, 6).flatMap { try? JSONDecoder().decode(ImportCounts.self, from: Data($0.utf8)) }
        return FileEntry(id: r.int(i, 0) ?? 0, inbox: r.string(i, 1) ?? "", name: r.string(i, 2) ?? "",
                         archivedAs: r.string(i, 3), status: r.string(i, 4) ?? "", batchId: r.int(i, 5), counts: counts,
                         receivedAt: PGTime.date(r.string(i, 7)) ?? Date())
    }

    static func jsonList(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
