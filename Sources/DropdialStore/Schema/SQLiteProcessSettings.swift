import CSQLiteSetup

/// SQLite's process-wide settings, made once before the first connection opens.
///
/// Memory statistics are off: with them on (SQLite's default), every `sqlite3_malloc` and
/// `sqlite3_free` of every connection in the process takes one global mutex. The import's writer
/// allocates millions of times, so during a 1M-row import the thread serving HTTP requests blocked
/// on that mutex about 800 times a second (perf, sched_switch stacks; 12 times a second without
/// it). dropdial reads none of the statistics.
public enum SQLiteProcessSettings {
    /// What making the settings found.
    public enum Outcome: Sendable, Equatable {
        /// The statistics are off for this process.
        case applied
        /// SQLite had already started in this process (a connection opened before any `Store`,
        /// as a test may do): it keeps its defaults, which are correct, only slower under load.
        case tooLate
    }

    /// Applies the settings the first time it is read; `Store` reads it before opening.
    public static let outcome: Outcome = dd_sqlite_disable_memory_statistics() == 0 ? .applied : .tooLate

    /// Bytes SQLite reports in use: 0 while the statistics are off.
    public static var reportedMemoryUsed: Int64 { Int64(dd_sqlite_memory_used()) }
}
