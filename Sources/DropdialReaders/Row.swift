/// One row of the first sheet, as the reader sees it: cells rendered to text (SPEC §4).
public struct SourceRow: Sendable, Equatable {
    /// The row number a person sees in their spreadsheet: sheet row, or CSV record (header = 1).
    public var number: Int
    /// Cell texts in column order; gaps are `""`.
    public var cells: [String]

    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }

    /// True when every cell is empty (such rows are skipped by validation).
    public var isBlank: Bool { cells.allSatisfy(\.isEmpty) }
}
