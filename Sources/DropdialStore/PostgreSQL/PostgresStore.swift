import Foundation

/// The store on a PostgreSQL server (`database = "postgresql://USER@HOST:PORT/NAME"`, SPEC §11),
/// through libpq: the same contract as the SQLite `Store`, for any number of processes and
/// machines sharing one database. Opening it applies the schema's migrations once (under an
/// advisory lock, whichever process comes first).
///
/// Each operation takes a connection of its own from a small pool, so an import's long
/// transaction does not hold up the queries other threads make meanwhile.
public final class PostgresStore: @unchecked Sendable {
    /// The URL as configured (its password, if any, is only ever shown as `***`).
    public let url: String
    /// This process's name among the nodes sharing the database (SPEC §11), kept with each
    /// attempt it places.
    public let node: String
    /// Idle connections; guarded by `lock`.
    private var idle: [PGConnection] = []
    private let lock = NSLock()
    /// Idle connections kept at most; more are closed when given back.
    static let idleLimit = 4

    /// Connects to `url` and migrates its database. `node` names this process among the nodes
    /// (default: the host name).
    public init(url: String, node: String = ProcessInfo.processInfo.hostName) throws(StoreError) {
        self.url = url
        self.node = node
        let first = try PGConnection(url: url)
        do {
            try PostgresSchema.migrate(first)
        } catch {
            throw .open(path: PGConnection.redacted(url), reason: "\(error)")
        }
        idle.append(first)
    }

    /// Any number of nodes may share it.
    public var sharedByNodes: Bool { true }

    /// True when `database` names a PostgreSQL server rather than an SQLite file.
    public static func isURL(_ database: String) -> Bool {
        database.hasPrefix("postgresql://") || database.hasPrefix("postgres://")
    }

    /// Runs `body` on a pooled connection (opened when none is idle); a connection the server
    /// dropped is not given back.
    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        lock.lock()
        let pooled = idle.popLast()
        lock.unlock()
        let connection = try pooled ?? PGConnection(url: url)
        defer {
            if connection.isHealthy {
                lock.lock()
                if idle.count < Self.idleLimit { idle.append(connection) }
                lock.unlock()
            }
        }
        return try body(connection)
    }
}

/// Instants as PostgreSQL takes and gives them: Unix seconds with milliseconds (the precision the
/// SQLite engine stores), bound as `to_timestamp($n)`, read as `extract(epoch FROM column)`.
enum PGTime {
    static func seconds(_ date: Date) -> String {
        String(format: "%.3f", (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    static func date(_ text: String?) -> Date? {
        text.flatMap(Double.init).map { Date(timeIntervalSince1970: ($0 * 1000).rounded() / 1000) }
    }
}
