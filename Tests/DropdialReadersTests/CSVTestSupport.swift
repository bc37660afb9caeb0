import DropdialTestKit
import Foundation
@testable import DropdialReaders

/// Writes test inputs as real files in a fresh temporary folder and reads them back with the CSV reader.
enum CSVFixture {
    /// Raw read sizes every boundary-sensitive test runs with: 1 byte splits every construct.
    static let chunkSizes = [1, 2, 3, 5, 64, CSVRowSource.defaultChunkSize]

    /// A new empty folder under the system temp directory.
    static func makeDirectory() -> URL {
        try! Scratch.folder("dropdial-csv")
    }

    /// Writes `bytes` to a file named `name` in a fresh folder and returns its path.
    static func write(_ bytes: [UInt8], name: String = "input.csv") -> String {
        let url = makeDirectory().appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    /// Removes the folder `write` made for `path`.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// A reader over `bytes` written to a file named `name`. The file is deleted once opened: the
    /// reader keeps its descriptor, so nothing is left behind in the temp folder.
    static func open(
        _ bytes: [UInt8], name: String = "input.csv", limits: ReaderLimits = .default,
        chunkSize: Int = CSVRowSource.defaultChunkSize
    ) throws(ReaderError) -> CSVRowSource {
        let path = write(bytes, name: name)
        defer { remove(path) }
        return try CSVRowSource(path: path, limits: limits, chunkSize: chunkSize)
    }

    /// Every record of `bytes`, read through a file named `name`.
    static func rows(
        _ bytes: [UInt8], name: String = "input.csv", limits: ReaderLimits = .default,
        chunkSize: Int = CSVRowSource.defaultChunkSize
    ) throws(ReaderError) -> [SourceRow] {
        let source = try open(bytes, name: name, limits: limits, chunkSize: chunkSize)
        var rows: [SourceRow] = []
        while let row = try source.nextRow() { rows.append(row) }
        return rows
    }

    /// Only the cells of every record.
    static func cells(
        _ bytes: [UInt8], name: String = "input.csv", limits: ReaderLimits = .default,
        chunkSize: Int = CSVRowSource.defaultChunkSize
    ) throws(ReaderError) -> [[String]] {
        try rows(bytes, name: name, limits: limits, chunkSize: chunkSize).map(\.cells)
    }

    /// Same as `cells` for a text written as UTF-8.
    static func cells(
        _ text: String, name: String = "input.csv", chunkSize: Int = CSVRowSource.defaultChunkSize
    ) throws(ReaderError) -> [[String]] {
        try cells(Array(text.utf8), name: name, chunkSize: chunkSize)
    }

    /// The error reading `bytes` throws, or nil when it reads cleanly.
    static func error(
        _ bytes: [UInt8], name: String = "input.csv", limits: ReaderLimits = .default,
        chunkSize: Int = CSVRowSource.defaultChunkSize
    ) -> ReaderError? {
        do {
            _ = try rows(bytes, name: name, limits: limits, chunkSize: chunkSize)
            return nil
        } catch {
            return error
        }
    }

    /// `text` as UTF-16 with its byte-order mark, as Excel's "Unicode text" writes it.
    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    /// Limits with a small cell cap, everything else default.
    static func limits(maxCellBytes: Int = ReaderLimits.default.maxCellBytes, maxFileBytes: Int64 = ReaderLimits.default.maxFileBytes) -> ReaderLimits {
        var limits = ReaderLimits.default
        limits.maxCellBytes = maxCellBytes
        limits.maxFileBytes = maxFileBytes
        return limits
    }
}

extension Array where Element == UInt8 {
    /// ASCII/UTF-8 bytes of a string literal, for building inputs byte by byte.
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
}
