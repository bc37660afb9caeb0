import Foundation
import GRDB

/// The SQLite database (WAL): opened once, migrated on open, shared by every command.
public final class Store: Sendable {
    /// A WAL `DatabasePool` on disk; an in-memory queue for `simulate`'s throwaway copy.
    public let pool: any DatabaseWriter

    /// Opens (creating when absent) and migrates the database at `path`. A statement waits up to
    /// `busyTimeout` seconds for another process's write lock (then `StoreFault.busy`).
    public init(path: String, busyTimeout: Double = 10) throws(StoreError) {
        do {
            var config = Configuration()
            config.busyMode = .timeout(busyTimeout)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Statement journals (a multi-row INSERT keeps one to undo its own rows on an
                // error) in memory, not in a /var/tmp file. Must be set before a transaction begins.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                QueryFunctions.add(to: db)
            }
            pool = try DatabasePool(path: path, configuration: config)
            try Migrations.migrator.migrate(pool)
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
    }

    /// Opens an existing database read-only (for `simulate`, which must not change a byte of it).
    public static func readOnly(path: String) throws(StoreError) -> Store {
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(10)
            config.prepareDatabase { db in QueryFunctions.add(to: db) }
            return Store(writer: try DatabaseQueue(path: path, configuration: config))
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
    }

    private init(writer: any DatabaseWriter) {
        pool = writer
    }

    /// A private in-memory copy of this database: `simulate` runs the dialer on it and the real
    /// database is left exactly as it was.
    public func inMemoryCopy() throws(StoreError) -> Store {
        do {
            let memory = try DatabaseQueue()
            try pool.backup(to: memory)
            try Migrations.migrator.migrate(memory)
            return Store(writer: memory)
        } catch {
            throw .database("cannot copy the database into memory: \(error)")
        }
    }
}

extension Store {
    /// Frees the page caches of every connection (the daemon calls it after each file, so memory
    /// returns to where it was however many files came through).
    public func releaseMemory() {
        if let pool = pool as? DatabasePool { pool.releaseMemory() }
    }
}

/// Store failures are internal or IO errors (exit status 3), never the user's input.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case open(path: String, reason: String)
    case database(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open database \(path): \(reason)"
        case .database(let reason): "database error: \(reason)"
        case .notFound(let what): "\(what) not found"
        }
    }
}
