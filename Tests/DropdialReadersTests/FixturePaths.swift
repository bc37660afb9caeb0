import DropdialTestKit
import DropdialReaders
import Foundation

/// Where test fixtures live, found from this file's path so `swift test` works from any directory.
enum FixturePaths {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let generated = fixtures.appendingPathComponent("generated")

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is missing: generate the fixtures first with `python3 scripts/make_fixtures.py` (from the repository root)"
        }
    }

    /// A file written by scripts/make_fixtures.py; throws (failing the test) when it is not there.
    static func generated(_ name: String) throws -> String {
        let path = generated.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> URL {
        try Scratch.folder("dropdial-tests")
    }
}

/// expected.json, written by scripts/make_fixtures.py beside the fixtures.
struct ExpectedRows: Decodable {
    struct File: Decodable {
        var producer: String
        var sheet: String
        var rows: [[String]]?
        var why: String?
    }
    struct Table: Decodable {
        var rows: [[String]]
        var files: [String: File]
    }
    var contacts: Table
    var types: Table
    /// The XLS reader's cases: every file has its own rows.
    var xls: Table

    static func load() throws -> ExpectedRows {
        let data = try Data(contentsOf: URL(fileURLWithPath: try FixturePaths.generated("expected.json")))
        return try JSONDecoder().decode(ExpectedRows.self, from: data)
    }
}

extension ExpectedRows.Table {
    struct NotGenerated: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "expected.json lists no \(name): its producer was skipped; see `skipped` in expected.json and rerun python3 scripts/make_fixtures.py"
        }
    }

    func file(_ name: String) throws -> ExpectedRows.File {
        guard let file = files[name] else { throw NotGenerated(name: name) }
        return file
    }

    /// The rows `inspect` must print for `name`: the file's own rows when a documented limit applies.
    func rows(for name: String) throws -> [[String]] {
        try file(name).rows ?? rows
    }
}
