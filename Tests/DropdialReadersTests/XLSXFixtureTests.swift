import DropdialTestKit
import DropdialReaders
import Foundation
import Testing

/// Files from real producers (openpyxl, XlsxWriter, LibreOffice/ssconvert), when the fixture
/// generator has put them in `Tests/Fixtures/generated/` with an `expected.json` describing what
/// `inspect` must print. Without that folder there is nothing to check.
@Suite struct XLSXFixtureTests {
    static let folder: URL = {
        if let dir = ProcessInfo.processInfo.environment["DROPDIAL_FIXTURES"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/generated")
    }()

    /// (file, expected sheet, expected rows) for every `.xlsx` the manifest lists.
    static func cases() -> [(String, String?, [[String]])] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("expected.json")),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        var result: [(String, String?, [[String]])] = []
        for case let table as [String: Any] in root.values {
            guard let rows = table["rows"] as? [[String]], let files = table["files"] as? [String: [String: Any]] else { continue }
            for (file, info) in files where file.lowercased().hasSuffix(".xlsx") {
                result.append((file, info["sheet"] as? String, info["rows"] as? [[String]] ?? rows))
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    @Test func generatedFilesReadAsExpected() throws {
        let cases = Self.cases()
        if FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("expected.json").path) {
            #expect(cases.count >= 5, "expected.json lists \(cases.count) .xlsx files")
        }
        for (file, sheet, rows) in cases {
            let path = Self.folder.appendingPathComponent(file).path
            let source = try XLSXRowSource(path: path, limits: .default)
            #expect(source.sheetName == sheet, "\(file)")
            #expect(try readRows(path).map(\.cells) == rows, "\(file)")
        }
    }
}
