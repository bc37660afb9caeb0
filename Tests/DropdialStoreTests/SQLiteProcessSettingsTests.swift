import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// SQLite's memory statistics (a process-wide mutex on every allocation) are off once a Store opens,
/// unless SQLite had already started in this process, in which case its defaults stay.
@Suite struct SQLiteProcessSettingsTests {
    @Test func memoryStatisticsAreOffOrSQLiteKeptItsDefaults() throws {
        let store = try Scratch.store("dd-sqlite-settings")
        // A query allocates: with the statistics on, SQLite counts those bytes; off, it reports 0.
        _ = try store.batches()
        switch SQLiteProcessSettings.outcome {
        case .applied: #expect(SQLiteProcessSettings.reportedMemoryUsed == 0)
        case .tooLate: #expect(SQLiteProcessSettings.reportedMemoryUsed > 0)
        }
    }
}
