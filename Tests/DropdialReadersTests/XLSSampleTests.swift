import DropdialTestKit
import DropdialReaders
import Foundation
import Testing

/// samples/contacts.xls is committed and user-facing: it must read as the same rows as
/// samples/contacts.csv (both written from one table by scripts/make_samples.py).
@Test("samples/contacts.xls reads as the same rows as samples/contacts.csv")
func xlsSampleMatchesCSV() throws {
    let samples = FixturePaths.fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples")
    // contacts.csv quotes nothing (no field holds a comma, quote or line break), so splitting is exact.
    let csv = try String(contentsOf: samples.appendingPathComponent("contacts.csv"), encoding: .utf8)
    let expected = csv.split(separator: "\r\n").map { line in
        var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        while cells.last == "" { cells.removeLast() }
        return cells
    }
    #expect(expected.allSatisfy { !$0.joined().contains("\"") })
    let source = try XLSRowSource(path: samples.appendingPathComponent("contacts.xls").path, limits: .default)
    var rows: [[String]] = []
    while let row = try source.nextRow() { rows.append(row.cells) }
    #expect(source.sheetName == "Contacts")
    #expect(rows.count == 26)
    #expect(rows == expected)
}
