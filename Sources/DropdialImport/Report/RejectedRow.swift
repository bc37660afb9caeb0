/// A rejected row as the people who fix it see it: in `NAME.errors.csv`, `NAME.errors.xlsx` and on
/// the report page. The one home of the `error` column's wording and of which cells it blames.
public enum RejectedRow {
    /// The `error` column: each issue as `column: message`, joined by `; `.
    public static func errorText(_ issues: [RowIssue]) -> String {
        issues.map { "\($0.column): \($0.message)" }.joined(separator: "; ")
    }

    /// The row as the errors files write it: its cells, padded to the header's width so the
    /// `error` column always lands under its title, then the error text.
    public static func cells(header: [String], cells: [String], issues: [RowIssue]) -> [String] {
        var row = cells
        if row.count < header.count { row += Array(repeating: "", count: header.count - row.count) }
        row.append(errorText(issues))
        return row
    }

    /// The cells `issues` blame, by column index into `header`, each with its messages: an issue
    /// names its column by the header's title (or `column_N` when the title is empty). A title that appears twice blames its first column.
    public static func failingCells(header: [String], issues: [RowIssue]) -> [Int: String] {
        var out: [Int: String] = [:]
        for issue in issues {
            guard let column = index(of: issue.column, in: header) else { continue }
            out[column] = out[column].map { $0 + "; " + issue.message } ?? issue.message
        }
        return out
    }

    /// The cells an `error` column's text blames (as ``errorText(_:)`` wrote it), by column index
    /// into `header`: for a file read back, such as the archived errors CSV.
    public static func failingCells(header: [String], errorText: String) -> [Int: String] {
        // Longest titles first, so `phone number: …` is not taken for `phone`'s.
        let titled = header.indices.map { (index: $0, title: title(header, $0)) }.sorted { $0.title.count > $1.title.count }
        // A part that names no column continues the message before it (a message may hold `; `).
        var blamed: [(column: Int, message: String)] = []
        for part in errorText.components(separatedBy: "; ") {
            if let hit = titled.first(where: { part.hasPrefix($0.title + ": ") }) {
                blamed.append((index(of: hit.title, in: header) ?? hit.index, String(part.dropFirst(hit.title.count + 2))))
            } else if !blamed.isEmpty {
                blamed[blamed.count - 1].message += "; " + part
            }
        }
        var out: [Int: String] = [:]
        for (column, message) in blamed {
            out[column] = out[column].map { $0 + "; " + message } ?? message
        }
        return out
    }

    static func index(of column: String, in header: [String]) -> Int? {
        header.indices.first { title(header, $0) == column }
    }

    /// The name an issue gives column `column`: its header cell, or `column_N` when that is empty.
    static func title(_ header: [String], _ column: Int) -> String {
        column < header.count && !header[column].isEmpty ? header[column] : "column_\(column + 1)"
    }
}
