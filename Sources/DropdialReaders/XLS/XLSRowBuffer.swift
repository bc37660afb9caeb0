/// Cells of the sheet being read, gathered into rows and handed out in row order.
///
/// BIFF writes a sheet in blocks of up to 32 rows, each ended by a DBCELL record; cells inside a
/// block may come in any order. Rows are held until the block ends (`flush`), or until the held
/// cells pass `maxHeldCells` (a sheet written without DBCELL records), so memory stays bounded by
/// a block, not the sheet. A cell for a row already handed out is a corrupt file, never dropped.
struct XLSRowBuffer {
    static let maxHeldCells = 1 << 16
    static let maxColumns = 256

    private var held: [Int: [String]] = [:]
    private var heldCells = 0
    private var lastRow = -1  // the last row (0-based) in `held`, for the in-order fast path
    private var lastCells: [String] = []
    private var hasLast = false
    /// The last row (0-based) handed out; rows up to it are done.
    private var emittedThrough = -1
    private(set) var ready: [SourceRow] = []
    private var readyIndex = 0

    /// The row (0-based) cells were last added to, which may still be incomplete.
    var openRow: Int { hasLast ? lastRow : Int.max }

    /// Adds a non-empty cell; the last one written for a position wins.
    @inline(__always)
    mutating func set(row: Int, column: Int, _ text: String) throws(ReaderError) {
        guard column < Self.maxColumns else {
            throw .corrupt("row \(row + 1) has a cell in column \(column + 1), past Excel 97–2003's 256 columns")
        }
        guard row > emittedThrough else {
            throw .corrupt("cells for row \(row + 1) come after rows below it were complete (records out of order)")
        }
        if !hasLast || row != lastRow {
            stashLast()
            lastRow = row
            lastCells = held.removeValue(forKey: row) ?? []
            hasLast = true
        }
        if column >= lastCells.count {
            if column > lastCells.count { lastCells.append(contentsOf: repeatElement("", count: column - lastCells.count)) }
            lastCells.append(text)
        } else {
            lastCells[column] = text
        }
        heldCells += 1
        if heldCells > Self.maxHeldCells { flush(below: row) }
    }

    private mutating func stashLast() {
        if hasLast { held[lastRow] = lastCells }
        hasLast = false
        lastCells = []
    }

    /// Hands out every held row (below `limit` when given), gaps as `[]` rows.
    mutating func flush(below limit: Int = Int.max) {
        if hasLast && lastRow < limit { stashLast() }
        guard !held.isEmpty else { return }
        if readyIndex > 0 && readyIndex == ready.count { ready.removeAll(keepingCapacity: true); readyIndex = 0 }
        for row in held.keys.sorted() where row < limit {
            for gap in (emittedThrough + 1)..<row { ready.append(SourceRow(number: gap + 1, cells: [])) }
            ready.append(SourceRow(number: row + 1, cells: held.removeValue(forKey: row)!))
            emittedThrough = row
        }
        heldCells = held.values.reduce(0) { $0 + $1.count } + (hasLast ? lastCells.count : 0)
    }

    /// The next row handed out, if any.
    mutating func next() -> SourceRow? {
        guard readyIndex < ready.count else { return nil }
        readyIndex += 1
        return ready[readyIndex - 1]
    }
}
