import DropdialStore
import Foundation
import GRDB

/// Throwaway folders, files and stores under the system's temporary folder, each named
/// `TAG-UUID` so a failing test's leftovers say which test made them.
public enum Scratch {
    /// A new empty folder.
    public static func folder(_ tag: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)",
                                                                               isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path no file has yet, directly in the temporary folder (`suffix` is appended as is).
    public static func path(_ tag: String, suffix: String = "") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(tag)-\(UUID().uuidString)\(suffix)").path
    }

    /// A new migrated store, alone in a new folder, and its database path.
    public static func storeAndPath(_ tag: String, busyTimeout: Double = 10) throws -> (Store, String) {
        let path = try folder(tag).appendingPathComponent("t.sqlite").path
        return (try Store(path: path, busyTimeout: busyTimeout), path)
    }

    /// A new migrated store, alone in a new folder.
    public static func store(_ tag: String) throws -> Store { try storeAndPath(tag).0 }

    /// A copy of `store`'s database in a new folder (SQLite's backup API, so pages still in the
    /// write-ahead log come too): a test can run a second driver on the same data.
    public static func copy(of store: Store, _ tag: String = "copy") throws -> Store {
        let path = try folder(tag).appendingPathComponent("t.sqlite").path
        let target = try DatabaseQueue(path: path)
        try store.pool.backup(to: target)
        try target.close()
        return try Store(path: path)
    }
}
