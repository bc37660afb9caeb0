import Foundation
import GRDB

/// The SQLite database (WAL): opened once, migrated on open, shared by every command.
public final class Store: Sendable {
    /// A WAL `DatabasePool` on disk, or a read-only queue (`readOnly`).
    public let pool: any DatabaseWriter

    /// Opens (creating when absent) and migrates the database at `path`. A statement waits up to
    /// `busyTimeout` seconds for another process's write lock (then `StoreFault.busy`).
    public init(path: String, busyTimeout: Double = 10) throws(StoreError) {
        _ = SQLiteProcessSettings.outcome
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
        _ = SQLiteProcessSettings.outcome
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
    /// A statement the PostgreSQL server refused.
    case postgres(PGError)

    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open database \(path): \(reason)"
        case .database(let reason): "database error: \(reason)"
        case .notFound(let what): "\(what) not found"
        case .postgres(let error): "database error: \(error)"
        }
    }
}
