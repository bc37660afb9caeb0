import Foundation

extension PostgresStore {
    public func createKey(name: String, role: KeyRole, inboxes: [String], at now: Date) throws -> (key: APIKey, secret: String) {
        try APIKey.check(name: name)
        let secret = APIKeySecret.generate()
        let createdAt = PGTime.date(PGTime.seconds(now)) ?? now
        let id: Int64? = try withConnection { c in
            try c.query("""
                INSERT INTO apiKey (name, sha256, role, inboxes, createdAt) VALUES ($1, $2, $3, $4, to_timestamp($5))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, [name, APIKeySecret.hash(secret), role.rawValue, APIKey.inboxesJSON(inboxes), PGTime.seconds(now)]).int(0, 0)
        }
        guard let id else { throw APIKeyError.nameTaken(name) }
        return (APIKey(id: id, name: name, role: role, inboxes: inboxes, createdAt: createdAt, revokedAt: nil), secret)
    }

    public func keys() throws -> [APIKey] {
        try withConnection { c in try Self.keys(c.query("\(Self.keyColumns) ORDER BY id")).map(\.key) }
    }

    public func hasKeys() throws -> Bool {
        try withConnection { c in try c.query("SELECT 1 FROM apiKey LIMIT 1").count > 0 }
    }

    public func revokeKey(name: String, at now: Date) throws {
        let changed = try withConnection { c in
            try c.query("UPDATE apiKey SET revokedAt = COALESCE(revokedAt, to_timestamp($1)) WHERE name = $2",
                        [PGTime.seconds(now), name]).changes
        }
        if changed == 0 { throw APIKeyError.unknown(name) }
    }

    public func key(presented secret: String) throws -> APIKey? {
        let rows = try withConnection { c in try Self.keys(c.query("\(Self.keyColumns) WHERE revokedAt IS NULL")) }
        return APIKey.matching(secret, among: rows)
    }

    static let keyColumns = """
        SELECT id, name, sha256, role, inboxes, extract(epoch FROM createdAt), extract(epoch FROM revokedAt) FROM apiKey
        """

    static func keys(_ r: PGRows) -> [(sha256: String, key: APIKey)] {
        (0..<r.count).map { i in
            (r.string(i, 2) ?? "",
             APIKey(id: r.int(i, 0) ?? 0, name: r.string(i, 1) ?? "", role: KeyRole(rawValue: r.string(i, 3) ?? "") ?? .viewer,
                    inboxes: APIKey.inboxes(json: r.string(i, 4) ?? "[]"), createdAt: PGTime.date(r.string(i, 5)) ?? Date(),
                    revokedAt: PGTime.date(r.string(i, 6))))
        }
    }
}
