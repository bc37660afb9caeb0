import DropdialConfig
import DropdialImport
import DropdialStore
import Foundation

/// One contact for `importBatch`: number, variables (a JSON object, written by hand) and zones.
public struct Contact: Sendable {
    public var phone: String
    public var variables: String
    public var zones: String

    public init(phone: String, variables: String = "{}", zones: String = "America/New_York") {
        self.phone = phone
        self.variables = variables
        self.zones = zones
    }
}

/// A Monday, 2026-11-23 00:00 UTC: the dialer tests' first day.
public let fixtureMonday = Date(timeIntervalSince1970: 1_795_392_000)
/// When a fixture batch is imported unless the test says otherwise (2027-01-15 08:00 UTC).
public let fixtureImportedAt = Date(timeIntervalSince1970: 1_800_000_000)

/// Commits `contacts` into `store` as one batch, as an import would (rows numbered from 2, after
/// a header), and returns its id. Each batch gets its own content hash unless `sha256` is given.
@discardableResult
public func importBatch(_ store: Store, _ contacts: [Contact], settings: BatchSettings = BatchSettings(),
                        name: String = "b", inbox: String = "inbox", sha256: String? = nil,
                        at: Date = fixtureImportedAt) throws -> Int64 {
    let draft = BatchDraft(name: name, inbox: inbox, settings: settings, sourceFile: "\(name).csv",
                           sha256: sha256 ?? UUID().uuidString, size: 1, format: "csv", createdAt: at)
    let id = try store.importBatch(draft) { ins in
        _ = try ins.insert(contentsOf: contacts.enumerated().map { i, c in
            CallDraft(rowNumber: i + 2, phoneNumber: c.phone, variablesJSON: c.variables, timezone: nil, zones: c.zones)
        })
        return .commit(ImportCounts(), report: nil)
    }
    guard let id else { throw FixtureError.notCommitted }
    return id
}

/// The same, for numbers that all share `zones`.
@discardableResult
public func importBatch(_ store: Store, phones: [String], zones: String = "America/New_York",
                        settings: BatchSettings = BatchSettings(), name: String = "b",
                        at: Date = fixtureImportedAt) throws -> Int64 {
    try importBatch(store, phones.map { Contact(phone: $0, zones: zones) }, settings: settings, name: name, at: at)
}

public enum FixtureError: Error { case notCommitted }
