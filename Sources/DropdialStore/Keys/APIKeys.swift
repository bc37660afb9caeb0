import Foundation
import GRDB

/// Why a key command was refused; the message says what to do.
public enum APIKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case nameTaken(String)
    case unknown(String)
    case badName(String)

    public var description: String {
        switch self {
        case .nameTaken(let n): "a key named \"\(n)\" exists already; revoke it or pick another name"
        case .unknown(let n): "no key named \"\(n)\" (dropdial keys list shows them)"
        case .badName(let n): "\"\(n)\" is not a key name: use 1 to 64 letters, digits, '-', '_' or '.'"
        }
    }
}

extension APIKey {
    /// Refuses a name a key cannot have: 1 to 64 letters, digits, `-`, `_` or `.`.
    static func check(name: String) throws(APIKeyError) {
        guard (1...64).contains(name.count),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else { throw .badName(name) }
    }

    /// The inboxes as stored: a JSON array.
    static func inboxesJSON(_ inboxes: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(inboxes)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func inboxes(json: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }

    /// The live key among `candidates` (digest, key) whose digest is `secret`'s. Every digest is
    /// compared in constant time, all of them every time, so neither timing nor an index lookup
    /// tells a guess apart from a near miss.
    static func matching(_ secret: String, among candidates: [(sha256: String, key: APIKey)]) -> APIKey? {
        let digest = APIKeySecret.hash(secret)
        var found: APIKey?
        for candidate in candidates where APIKeySecret.equalInConstantTime(candidate.sha256, digest) {
            found = candidate.key
        }
        return found
    }
}

extension Store {
    /// Stores a new key and returns it with its secret, which is shown once and never stored.
    public func createKey(name: String, role: KeyRole, inboxes: [String], at now: Date = Date())
        throws -> (key: APIKey, secret: String) {
        try APIKey.check(name: name)
        let secret = APIKeySecret.generate()
        let inboxJSON = APIKey.inboxesJSON(inboxes)
        let id: Int64 = try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM apiKey WHERE name = ?", arguments: [name]) == true {
                throw APIKeyError.nameTaken(name)
            }
            try db.execute(sql: "INSERT INTO apiKey (name, sha256, role, inboxes, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, APIKeySecret.hash(secret), role.rawValue, inboxJSON, now])
            return db.lastInsertedRowID
        }
        return (APIKey(id: id, name: name, role: role, inboxes: inboxes, createdAt: now, revokedAt: nil), secret)
    }

    /// Every key, revoked ones included, oldest first.
    public func keys() throws -> [APIKey] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM apiKey ORDER BY id").map(Self.key) }
    }

    /// True when at least one key was ever made (revoked ones count: the first start's admin key
    /// is made only on a database that never had one).
    public func hasKeys() throws -> Bool {
        try pool.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM apiKey)") ?? false }
    }

    /// Revokes the key called `name`; it stops working at once.
    public func revokeKey(name: String, at now: Date = Date()) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE apiKey SET revokedAt = COALESCE(revokedAt, ?) WHERE name = ?", arguments: [now, name])
            if db.changesCount == 0 { throw APIKeyError.unknown(name) }
        }
    }

    /// The live key whose secret is `secret`, or nil (``APIKey/matching(_:among:)``).
    public func key(presented secret: String) throws -> APIKey? {
        let rows = try pool.read { db in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM apiKey WHERE revokedAt IS NULL")) }
        return APIKey.matching(secret, among: rows.map { ($0["sha256"], Self.key($0)) })
    }

    private static func key(_ row: Row) -> APIKey {
        APIKey(id: row["id"], name: row["name"], role: KeyRole(rawValue: row["role"]) ?? .viewer,
               inboxes: APIKey.inboxes(json: row["inboxes"]), createdAt: row["createdAt"], revokedAt: row["revokedAt"])
    }
}
