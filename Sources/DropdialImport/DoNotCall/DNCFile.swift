import DropdialConfig
import DropdialReaders
import DropdialStore
import Foundation

/// A do-not-call file (`dnc import FILE`, `[dnc] files`): CSV, TSV, TXT, XLSX or XLS. With a
/// header naming a phone column (the import's aliases) that column is read; without one, the
/// first column of every row is. Numbers are normalized to E.164 by the import's normalizer.
public enum DNCFile {
    public struct Contents: Sendable, Equatable {
        /// E.164, in file order, each once.
        public var numbers: [String]
        /// Cells that are not a valid number: (row, text).
        public var invalid: [Invalid]
    }

    public struct Invalid: Sendable, Equatable, Encodable {
        public var row: Int
        public var value: String
    }

    public static func read(path: String, region: String) throws(ReaderError) -> Contents {
        let source = try RowReader.open(path: path)
        let phones = PhoneNormalizer(region: region)
        var column: Int?
        var seen = Set<String>()
        var contents = Contents(numbers: [], invalid: [])
        while let row = try source.nextRow() {
            if row.isBlank { continue }
            if column == nil {
                if let header = try? HeaderMap(header: row.cells, requiredVariables: []) {
                    column = header.phone
                    continue
                }
                column = 0
            }
            let cell = column! < row.cells.count ? row.cells[column!] : ""
            guard let e164 = try? phones.normalize(cell) else {
                contents.invalid.append(Invalid(row: row.number, value: cell))
                continue
            }
            if seen.insert(e164).inserted { contents.numbers.append(e164) }
        }
        return contents
    }

    /// Size, modification time and inode: changes when the file is rewritten or replaced.
    public static func fingerprint(path: String) -> String? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (a[.size] as? NSNumber)?.int64Value ?? -1
        let mtime = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let inode = (a[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return "\(size):\(mtime):\(inode)"
    }

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
    public static func sync(_ config: DNCConfig, region: String, store: Store) throws -> [SyncEvent] {
        var events: [SyncEvent] = []
        for path in config.files {
            guard let print = fingerprint(path: path) else {
                events.append(.missing(path: path))
                continue
            }
            if try store.dncFileFingerprint(path) == print { continue }
            do {
                let contents = try read(path: path, region: region)
                try store.replaceDNCFile(path, fingerprint: print, numbers: contents.numbers)
                events.append(.loaded(path: path, numbers: contents.numbers.count, invalid: contents.invalid.count))
            } catch {
                events.append(.failed(path: path, reason: "\(error)"))
            }
        }
        for path in try store.forgetDNCFiles(except: config.files) { events.append(.dropped(path: path)) }
        return events
    }
}
