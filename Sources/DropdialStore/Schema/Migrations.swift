import DropdialConfig
import GRDB

/// The schema, as GRDB migrations: append new migrations, never edit a shipped one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: batches, calls, attempts, imported files") { db in
            try db.create(table: "batch") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("inbox", .text).notNull()
                t.column("status", .text).notNull().defaults(to: BatchStatus.scheduled.rawValue)
                t.column("settings", .jsonText).notNull()
                t.column("sourceFile", .text)
                t.column("sha256", .text)
                t.column("rows", .integer).notNull().defaults(to: 0)
                t.column("imported", .integer).notNull().defaults(to: 0)
                t.column("invalid", .integer).notNull().defaults(to: 0)
                t.column("duplicates", .integer).notNull().defaults(to: 0)
                t.column("suppressed", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "call") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("batch", onDelete: .cascade).notNull()
                t.column("rowNumber", .integer)
                t.column("phoneNumber", .text).notNull()
                t.column("variables", .jsonText).notNull()
                // The row's own `timezone` cell, when it had one.
                t.column("timezone", .text)
                // Resolved zone(s), comma-separated: row cell, else phone prefix, else batch zone.
                t.column("zones", .text).notNull()
                t.column("status", .text).notNull().defaults(to: CallStatus.pending.rawValue)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                // Unix seconds; NULL until the dialer schedules the call.
                t.column("nextAttemptAt", .integer)
                t.column("lastOutcome", .text)
                t.column("createdAt", .datetime).notNull()
                t.uniqueKey(["batchId", "phoneNumber"])
            }
            try db.create(table: "attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("batch", onDelete: .cascade).notNull()
                t.belongsTo("call", onDelete: .cascade).notNull()
                t.column("attempt", .integer).notNull()
                t.column("idempotencyKey", .text).notNull().unique()
                t.column("callingNumber", .text)
                t.column("startedAt", .datetime).notNull()
                t.column("endedAt", .datetime)
                t.column("outcome", .text)
                t.column("durationSec", .double)
                t.uniqueKey(["callId", "attempt"])
            }
            try db.create(table: "importedFile") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("inbox", .text).notNull()
                t.column("fileName", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("format", .text)
                // seen → claimed → imported | rejected | duplicate | failed
                t.column("state", .text).notNull()
                t.belongsTo("batch", onDelete: .setNull)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "importedFile_inbox_sha256", on: "importedFile", columns: ["inbox", "sha256"])
        }
        m.registerMigration("v2: claimed files, stored reports") { db in
            try db.alter(table: "importedFile") { t in
                // The work-folder name a pickup claimed the file under; finds its batch after a crash.
                t.add(column: "claimKey", .text)
                t.add(column: "report", .jsonText)
            }
            try db.create(index: "importedFile_claimKey", on: "importedFile", columns: ["claimKey"])
        }
        m.registerMigration("v3: dialer due index") { db in
            // Due selection reads only pending calls in time order: cost follows the due count.
            try db.execute(sql: "CREATE INDEX call_due ON call(nextAttemptAt) WHERE status = \(CallStatus.pending.sql)")
            try db.create(index: "attempt_open", on: "attempt", columns: ["endedAt"])
        }
        m.registerMigration("v4: calls by batch and status") { db in
            // Batch completion asks "any call of this batch still to dial?" after every attempt.
            try db.create(index: "call_batch_status", on: "call", columns: ["batchId", "status"])
        }
        m.registerMigration("v5: do-not-call list, attempt cycles, call search") { db in
            try db.alter(table: "call") { t in
                // Attempts made before the current attempt cycle: `add-calls` gives a finished call a
                // new cycle, and the retry rules count attempts from here (the log keeps them all).
                t.add(column: "cycleBase", .integer).notNull().defaults(to: 0)
            }
            try db.alter(table: "batch") { t in
                // The call ids the import created, all of them this batch's (the import's write
                // transaction is exclusive); calls added later have higher ids. Lets a search count
                // its matches in the index without reading each call.
                t.add(column: "importedIdsFrom", .integer)
                t.add(column: "importedIdsTo", .integer)
            }
            // Batches so far come from imports only, so their ids are contiguous.
            try db.execute(sql: """
                UPDATE batch SET importedIdsFrom = (SELECT MIN(id) FROM call WHERE batchId = batch.id),
                    importedIdsTo = (SELECT MAX(id) FROM call WHERE batchId = batch.id)
                """)
            // One row per (number, source): `manual` (dnc add/import), `declined`, or `file:PATH`.
            try db.create(table: "dnc", options: .withoutRowID) { t in
                t.column("phoneNumber", .text).notNull()
                t.column("source", .text).notNull()
                t.column("addedAt", .datetime).notNull()
                t.primaryKey(["phoneNumber", "source"])
            }
            // What each configured DNC file looked like when it was last loaded.
            try db.create(table: "dncFile") { t in
                t.primaryKey("path", .text)
                t.column("fingerprint", .text).notNull()
                t.column("loadedAt", .datetime).notNull()
            }
            try CallSearch.create(db)
        }
        m.registerMigration("v6: one imported batch per content and inbox") { db in
            // Concurrent imports of one content could each commit before this index existed; the
            // later ones are kept as batches but no longer count as the content's import.
            try db.execute(sql: """
                UPDATE importedFile SET state = 'duplicate'
                WHERE state = 'imported' AND id NOT IN
                    (SELECT MIN(id) FROM importedFile WHERE state = 'imported' GROUP BY inbox, sha256)
                """)
            try db.execute(sql: """
                CREATE UNIQUE INDEX importedFile_content ON importedFile(inbox, sha256) WHERE state = 'imported'
                """)
        }
        m.registerMigration("v7: API keys") { db in
            // Only the key's SHA-256 is kept; `inboxes` is a JSON array, empty for every inbox.
            try db.create(table: "apiKey") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("sha256", .text).notNull().unique()
                t.column("role", .text).notNull()
                t.column("inboxes", .jsonText).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
        }
        m.registerMigration("v8: where each file was archived") { db in
            // `processed/contacts (2).csv`, relative to the inbox; the report is now kept for
            // every outcome, not only for imports (GET /api/files/{id}).
            try db.alter(table: "importedFile") { t in t.add(column: "archivedAs", .text) }
        }
        m.registerMigration("v9: each batch's call count") { db in
            // Kept by the import and add-calls in their own transactions (calls are never deleted
            // but with their batch), so a page of batch-details does not count 1M calls each time.
            try db.alter(table: "batch") { t in t.add(column: "callCount", .integer).notNull().defaults(to: 0) }
            try db.execute(sql: "UPDATE batch SET callCount = (SELECT COUNT(*) FROM call WHERE batchId = batch.id)")
        }
        m.registerMigration("v10: attempts by number, provider call ids") { db in
            // Compliance limits count attempts to one E.164 number over every batch and inbox
            // (SPEC §9): the number is kept on the attempt so the count is one index range.
            try db.alter(table: "attempt") { t in
                t.add(column: "phoneNumber", .text)
                t.add(column: "providerCallId", .text)
            }
            try db.execute(sql: "UPDATE attempt SET phoneNumber = (SELECT phoneNumber FROM call WHERE id = attempt.callId)")
            try db.create(index: "attempt_number_started", on: "attempt", columns: ["phoneNumber", "startedAt"])
            try db.execute(sql: "CREATE UNIQUE INDEX attempt_provider_call ON attempt(providerCallId) WHERE providerCallId IS NOT NULL")
        }
        return m
    }
}
