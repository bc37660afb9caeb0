import DropdialConfig
import DropdialReaders
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
}
