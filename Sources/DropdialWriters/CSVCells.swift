import Foundation

/// CSV as the people who fix rows open it, in a spreadsheet: RFC 4180 quoting, CRLF lines, and
/// no cell a spreadsheet would run as a formula (SPEC §10). Used by `NAME.errors.csv` and the
/// results export.
public enum CSVCells {
    /// One line of `cells`, each through ``field(_:)``, ended by CRLF.
    public static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    /// One cell: neutralized (``neutralized(_:)``), then RFC 4180 quoting: quote a field holding a
    /// comma, quote or line break, or another delimiter the reader might guess (tab, `;`, `|`),
    /// so the file dropped again is read with commas; double its quotes.
    public static func field(_ cell: String) -> String {
        let s = neutralized(cell)
        guard s.utf8.contains(where: needsQuotes.contains) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `,` `"` LF CR, and tab `;` `|`.
    private static let needsQuotes: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D, 0x09, 0x3B, 0x7C]

    /// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, with one `'` in
    /// front, so a spreadsheet shows it as text and never runs it as a formula. Every cell is
    /// treated alike, the header included.
    public static func neutralized(_ cell: String) -> String {
        guard let first = cell.utf8.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) else { return cell }
        return "'" + cell
    }

    /// The UTF-8 byte order mark, so Excel reads accents right.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}
