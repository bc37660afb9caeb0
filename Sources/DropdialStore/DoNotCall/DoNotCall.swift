import Foundation
import GRDB

/// Where a do-not-call entry came from. A number may be listed by several sources; it is
/// suppressed while any of them lists it.
public enum DNCSource: Sendable, Equatable, Hashable {
    /// `dropdial dnc add` or `dnc import`.
    case manual
    /// A call ended `declined` in an inbox with `dnc_on_decline = true`.
    case declined
    /// A DNC file named in the config, reloaded when it changes.
    case file(String)

    public var stored: String {
        switch self {
        case .manual: "manual"
        case .declined: "declined"
        case .file(let path): "file:" + path
        }
    }

    public init(stored: String) {
        switch stored {
        case "manual": self = .manual
        case "declined": self = .declined
        default: self = .file(stored.hasPrefix("file:") ? String(stored.dropFirst(5)) : stored)
        }
    }
}

/// One listed number, with every source that lists it.
public struct DNCEntry: Sendable, Equatable {
    /// E.164.
    public var phoneNumber: String
    public var sources: [DNCSource]
    /// When the earliest source listed it.
    public var addedAt: Date
}

/// What `dnc remove` did with one number.
public enum DNCRemoval: Sendable, Equatable {
    case removed
    case notListed
    /// Still listed by configured files: edit those files to unlist it.
    case keptByFiles([String])
}

extension Store {
    /// Lists `numbers` (E.164) under `source`; returns how many were not listed before by any source.
    @discardableResult
    public func addToDNC(_ numbers: [String], source: DNCSource, at date: Date = Date()) throws -> Int {
        try pool.write { db in try Self.addToDNC(db, numbers, source: source, at: date) }
    }

    static func addToDNC(_ db: Database, _ numbers: [String], source: DNCSource, at date: Date) throws -> Int {
        let listed = try db.cachedStatement(sql: "SELECT 1 FROM dnc WHERE phoneNumber = ? LIMIT 1")
        let insert = try db.cachedStatement(sql: """
            INSERT INTO dnc (phoneNumber, source, addedAt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING
            """)
        var fresh = 0
        for number in numbers {
            if try Bool.fetchOne(listed, arguments: [number]) == nil { fresh += 1 }
            try insert.execute(arguments: [number, source.stored, date])
        }
        return fresh
    }

    /// Unlists `numbers` from `dnc add`/`import` and `declined`; a configured file keeps listing
    /// what it lists (the file is the source of truth for its numbers).
    public func removeFromDNC(_ numbers: [String]) throws -> [DNCRemoval] {
        try pool.write { db in
            try numbers.map { number in
                try db.execute(sql: "DELETE FROM dnc WHERE phoneNumber = ? AND source IN ('manual', 'declined')",
                               arguments: [number])
                let removed = db.changesCount > 0
                let files = try String.fetchAll(db, sql: "SELECT source FROM dnc WHERE phoneNumber = ? ORDER BY source",
                                                arguments: [number]).map { DNCSource(stored: $0) }
                    .compactMap { if case .file(let path) = $0 { path } else { nil } }
                if !files.isEmpty { return .keptByFiles(files) }
                return removed ? .removed : .notListed
            }
        }
    }

    /// The whole list, by number.
    public func dncEntries() throws -> [DNCEntry] {
        try pool.read { db in
            var entries: [DNCEntry] = []
            for row in try Row.fetchAll(db, sql: "SELECT phoneNumber, source, addedAt FROM dnc ORDER BY phoneNumber, addedAt") {
                let number: String = row["phoneNumber"]
                let source = DNCSource(stored: row["source"])
                if entries.last?.phoneNumber == number {
                    entries[entries.count - 1].sources.append(source)
                } else {
                    entries.append(DNCEntry(phoneNumber: number, sources: [source], addedAt: row["addedAt"]))
                }
            }
            return entries
        }
    }

    /// Every listed number once (the import's suppression set).
    public func dncNumbers() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT phoneNumber FROM dnc") }
    }

    /// True when any source lists `number`.
    public func isOnDNC(_ number: String) throws -> Bool {
        try pool.read { db in try Self.isOnDNC(db, number) }
    }

    static func isOnDNC(_ db: Database, _ number: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM dnc WHERE phoneNumber = ? LIMIT 1"), arguments: [number]) != nil
    }

    /// The fingerprint a configured DNC file had when it was last loaded.
    public func dncFileFingerprint(_ path: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT fingerprint FROM dncFile WHERE path = ?", arguments: [path])
        }
    }

    /// Replaces what the file at `path` lists, in one transaction.
    public func replaceDNCFile(_ path: String, fingerprint: String, numbers: [String], at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM dnc WHERE source = ?", arguments: [DNCSource.file(path).stored])
            _ = try Self.addToDNC(db, numbers, source: .file(path), at: date)
            try db.execute(sql: """
                INSERT INTO dncFile (path, fingerprint, loadedAt) VALUES (?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint, loadedAt = excluded.loadedAt
                """, arguments: [path, fingerprint, date])
        }
    }

    /// Drops the entries of DNC files no longer named in the config; returns their paths.
    @discardableResult
    public func forgetDNCFiles(except paths: [String]) throws -> [String] {
        try pool.write { db in
            let known = try String.fetchAll(db, sql: "SELECT path FROM dncFile")
            let gone = known.filter { !paths.contains($0) }
            for path in gone {
                try db.execute(sql: "DELETE FROM dnc WHERE source = ?", arguments: [DNCSource.file(path).stored])
                try db.execute(sql: "DELETE FROM dncFile WHERE path = ?", arguments: [path])
            }
            return gone
        }
    }
}
