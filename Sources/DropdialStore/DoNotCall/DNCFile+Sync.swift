import DropdialConfig
import DropdialImport
import Foundation

extension DNCFile {
    /// What one sync did with a configured file.
    public enum SyncEvent: Sendable, Equatable {
        case loaded(path: String, numbers: Int, invalid: Int)
        /// The file is missing: its last loaded numbers stay listed.
        case missing(path: String)
        /// The file could not be read: its last loaded numbers stay listed.
        case failed(path: String, reason: String)
        /// A file no longer in the config: its numbers were unlisted.
        case dropped(path: String)
    }

    /// Loads every configured file that changed since it was last loaded, and unlists the files
    /// the config no longer names. Cheap when nothing changed (one stat and one lookup a file).
    public static func sync(_ config: DNCConfig, region: String, store: any StoreEngine) throws -> [SyncEvent] {
        var events: [SyncEvent] = []
        for path in config.files {
            guard let print = fingerprint(path: path) else {
                events.append(.missing(path: path))
                continue
            }
            if try store.dncFileFingerprint(path) == print { continue }
            do {
                let contents = try read(path: path, region: region)
                try store.replaceDNCFile(path, fingerprint: print, numbers: contents.numbers, at: Date())
                events.append(.loaded(path: path, numbers: contents.numbers.count, invalid: contents.invalid.count))
            } catch {
                events.append(.failed(path: path, reason: "\(error)"))
            }
        }
        for path in try store.forgetDNCFiles(except: config.files) { events.append(.dropped(path: path)) }
        return events
    }
}
