import Foundation

/// The do-not-call list on PostgreSQL: the same rows and answers as the SQLite engine's
/// (`DoNotCall.swift`), each change one statement over an array of numbers.
extension PostgresStore {
    @discardableResult
    public func addToDNC(_ numbers: [String], source: DNCSource, at date: Date = Date()) throws -> Int {
        try withConnection { c in try c.transaction { try Self.addToDNC(c, numbers, source: source, at: date) } }
    }

    static func addToDNC(_ c: PGConnection, _ numbers: [String], source: DNCSource, at date: Date) throws -> Int {
        guard !numbers.isEmpty else { return 0 }
        let array = PGArray.text(numbers)
        let fresh = try c.query("""
            SELECT count(DISTINCT n) FROM unnest($1::text[]) AS n WHERE NOT EXISTS (SELECT 1 FROM dnc WHERE phoneNumber = n)
            """, [array]).int(0, 0) ?? 0
        try c.query("""
            INSERT INTO dnc (phoneNumber, source, addedAt) SELECT DISTINCT n, $2, to_timestamp($3) FROM unnest($1::text[]) AS n
            ON CONFLICT DO NOTHING
            """, [array, source.stored, PGTime.seconds(date)])
        return Int(fresh)
    }

    public func removeFromDNC(_ numbers: [String]) throws -> [DNCRemoval] {
        try withConnection { c in
            try c.transaction {
                try numbers.map { number in
                    let removed = try c.query("DELETE FROM dnc WHERE phoneNumber = $1 AND source IN ('manual', 'declined')",
                                              [number]).changes > 0
                    let rows = try c.query("SELECT source FROM dnc WHERE phoneNumber = $1 ORDER BY source", [number])
                    let files = (0..<rows.count).compactMap { rows.string($0, 0) }.map { DNCSource(stored: $0) }
                        .compactMap { if case .file(let path) = $0 { path } else { nil } }
                    if !files.isEmpty { return .keptByFiles(files) }
                    return removed ? .removed : .notListed
                }
            }
        }
    }

    public func dncEntries() throws -> [DNCEntry] {
        try withConnection { c in
            let rows = try c.query("""
                SELECT phoneNumber, source, extract(epoch FROM addedAt) FROM dnc ORDER BY phoneNumber, addedAt
                """)
            var entries: [DNCEntry] = []
            for r in 0..<rows.count {
                let number = rows.string(r, 0) ?? ""
                let source = DNCSource(stored: rows.string(r, 1) ?? "")
                if entries.last?.phoneNumber == number {
                    entries[entries.count - 1].sources.append(source)
                } else {
                    entries.append(DNCEntry(phoneNumber: number, sources: [source],
                                            addedAt: PGTime.date(rows.string(r, 2)) ?? Date(timeIntervalSince1970: 0)))
                }
            }
            return entries
        }
    }

    public func isOnDNC(_ number: String) throws -> Bool {
        try withConnection { c in try c.query("SELECT 1 FROM dnc WHERE phoneNumber = $1 LIMIT 1", [number]).count > 0 }
    }

    public func dncFileFingerprint(_ path: String) throws -> String? {
        try withConnection { c in try c.query("SELECT fingerprint FROM dncFile WHERE path = $1", [path]).string(0, 0) }
    }

    public func replaceDNCFile(_ path: String, fingerprint: String, numbers: [String], at date: Date = Date()) throws {
        try withConnection { c in
            try c.transaction {
                try c.query("DELETE FROM dnc WHERE source = $1", [DNCSource.file(path).stored])
                _ = try Self.addToDNC(c, numbers, source: .file(path), at: date)
                try c.query("""
                    INSERT INTO dncFile (path, fingerprint, loadedAt) VALUES ($1, $2, to_timestamp($3))
                    ON CONFLICT (path) DO UPDATE SET fingerprint = excluded.fingerprint, loadedAt = excluded.loadedAt
                    """, [path, fingerprint, PGTime.seconds(date)])
            }
        }
    }

    @discardableResult
    public func forgetDNCFiles(except paths: [String]) throws -> [String] {
        try withConnection { c in
            try c.transaction {
                let rows = try c.query("SELECT path FROM dncFile")
                let gone = (0..<rows.count).compactMap { rows.string($0, 0) }.filter { !paths.contains($0) }
                for path in gone {
                    try c.query("DELETE FROM dnc WHERE source = $1", [DNCSource.file(path).stored])
                    try c.query("DELETE FROM dncFile WHERE path = $1", [path])
                }
                return gone
            }
        }
    }
}

/// PostgreSQL array literals for text parameters (`$1::text[]`).
enum PGArray {
    static func text(_ values: [String]) -> String {
        var out = "{"
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for ch in v.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }
}
