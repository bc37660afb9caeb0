import DropdialConfig
import Foundation

/// Stored batch settings, decoded and encoded once per distinct text: a batch's settings are
/// read on every batch-details page, and decoding and encoding them each time was a quarter of
/// a page's cost. Keyed by the stored JSON itself, so a changed setting is a new entry; holds at
/// most `capacity` entries (emptied when full).
final class SettingsCache: @unchecked Sendable {
    static let shared = SettingsCache()
    static let capacity = 256

    struct Entry {
        var summary: BatchSettingsSummary?
        /// Pretty JSON indented for a member of the top-level object (batch-details' `settings`).
        var json: String?
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func entry(_ stored: String) -> Entry {
        lock.lock()
        if let hit = entries[stored] {
            lock.unlock()
            return hit
        }
        lock.unlock()
        let summary = (try? JSONDecoder.store.decode(BatchSettings.self, from: Data(stored.utf8))).map(BatchSettingsSummary.init)
        let entry = Entry(summary: summary, json: summary.map {
            BatchSettingsSummary.prettyJSON($0).replacingOccurrences(of: "\n", with: "\n  ")
        })
        lock.lock()
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[stored] = entry
        lock.unlock()
        return entry
    }
}
