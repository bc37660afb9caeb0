import DropdialConfig
import DropdialStore
import Foundation
import Testing

/// A store in a fresh temporary folder.
func scratchStore(_ tag: String) throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return try Store(path: dir.appendingPathComponent("t.sqlite").path)
}

/// One contact to import: number, variables (as a JSON object written by hand) and zones.
struct Contact {
    var phone: String
    var variables: String = "{}"
    var zones = "America/New_York"
}

/// Imports `contacts` as one batch created at `at`; returns its id.
func importBatch(_ store: Store, _ contacts: [Contact], settings: BatchSettings = BatchSettings(),
                 at: Date = Date(timeIntervalSince1970: 1_800_000_000)) throws -> Int64 {
    let draft = BatchDraft(name: "b", inbox: "inbox", settings: settings, sourceFile: "b-\(UUID().uuidString).csv",
                           sha256: UUID().uuidString, size: 1, format: "csv", createdAt: at)
    return try #require(try store.importBatch(draft) { ins in
        _ = try ins.insert(contentsOf: contacts.enumerated().map { i, c in
            CallDraft(rowNumber: i + 2, phoneNumber: c.phone, variablesJSON: c.variables, timezone: nil, zones: c.zones)
        })
        return .commit(ImportCounts(), report: nil)
    })
}
