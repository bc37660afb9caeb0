import GRDB

/// Database failures that pass by themselves: another process holds the write lock, or the disk
/// (or a file size limit) is full. The daemon keeps the file claimed and retries the import later
/// instead of failing it; `dropdial import` reports the code so a script can retry.
public enum StoreFault: String, Sendable, Error, CustomStringConvertible {
    /// SQLITE_BUSY / SQLITE_LOCKED past the busy timeout.
    case busy = "database_busy"
    /// SQLITE_FULL: no space left for the database or its WAL.
    case full = "disk_full"
    /// SQLITE_IOERR: a write or sync failed (e.g. EFBIG under `ulimit -f`).
    case io = "database_io"
    /// SQLITE_READONLY / SQLITE_CANTOPEN: the database file (or its folder) cannot be written or
    /// opened now: a read-only mount, changed permissions, an immutable flag.
    case readOnly = "database_read_only"

    /// The fault `error` stands for, or nil when it is not a passing database condition.
    public static func classify(_ error: any Error) -> StoreFault? {
        if case .postgres(let pg)? = error as? StoreError { return classify(sqlState: pg.sqlState) }
        guard let db = error as? DatabaseError else { return nil }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
        case .SQLITE_FULL: return .full
        case .SQLITE_IOERR: return .io
        case .SQLITE_READONLY, .SQLITE_CANTOPEN: return .readOnly
        default: return nil
        }
    }

    /// PostgreSQL's passing conditions by SQLSTATE: lock and serialization conflicts, a full disk,
    /// a lost connection or a server shutting down.
    static func classify(sqlState: String) -> StoreFault? {
        switch sqlState {
        case "40001", "40P01", "55P03": .busy
        case "53100": .full
        case let s where s.hasPrefix("08") || s.hasPrefix("57P") || s.hasPrefix("58"): .io
        case "25006": .readOnly
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .busy: "the database is locked by another process; nothing was committed, retry later"
        case .full: "the disk holding the database is full; nothing was committed, free space and retry"
        case .io: "the database could not be written (I/O error); nothing was committed, check the disk and retry"
        case .readOnly: "the database cannot be written or opened now (read-only file or mount?); nothing was committed, retry once it is writable"
        }
    }
}
