/// Reads the first worksheet of an Excel 97–2003 workbook (BIFF5/BIFF8) with dropdial's own
/// OLE2 and BIFF record readers (SPEC §4).
///
/// The sheet is the first BOUNDSHEET that is a worksheet, hidden or not: chart, macro and VBA
/// sheets are skipped (by BOUNDSHEET type and by the sheet's own BOF type, since some producers
/// label a chart sheet a worksheet). Cells render as the XLSX reader's do: NUMBER/RK/MULRK under
/// their XF's number format (dates and times, the 1904 flag), LABELSST/LABEL/RSTRING text,
/// BOOLERR `TRUE`/`FALSE` or the error's text, FORMULA by its cached number, string (the STRING
/// record that follows), boolean or error. Embedded chart substreams inside the sheet are skipped.
///
/// The container and the workbook stream are read into memory (bounded by
/// `ReaderLimits.maxFileBytes`); rows are produced block by block as `nextRow` asks.
public final class XLSRowSource: RowSource {
    public let format: FileFormat = .xls
    public let sheetName: String?

    private let stream: BIFFStream
    private let book: BIFFWorkbook
    private let limits: ReaderLimits
    private var offset: Int
    private var finished = false
    private var failure: ReaderError?
    private var rows = XLSRowBuffer()
    /// A FORMULA whose cached result is a string waits here for its STRING record.
    private var formulaString: (row: Int, column: Int)?
    private var sharedTextBytes: Int64 = 0
    private var text: [UInt8] = []

    public init(path: String, limits: ReaderLimits) throws(ReaderError) {
        stream = BIFFStream(bytes: try XLSFile.workbookStream(path: path, limits: limits))
        book = try BIFFWorkbook(stream)
        self.limits = limits
        let sheet = try Self.firstWorksheet(book, stream)
        sheetName = sheet.name
        offset = sheet.bodyOffset
        text.reserveCapacity(256)
    }

    /// Rows complete before a failure are still handed out, then the failure is thrown.
    public func nextRow() throws(ReaderError) -> SourceRow? {
        while true {
            if let row = rows.next() { return row }
            if let failure { throw failure }
            if finished { return nil }
            do throws(ReaderError) {
                try readBlock()
            } catch {
                failure = error
                switch error {
                case .cellTooLarge(let row, _), .malformed(let row, _): rows.flush(below: row - 1)
                default: rows.flush(below: rows.openRow)
                }
            }
        }
    }

    /// The first worksheet in BOUNDSHEET order, and the offset just after its BOF.
    private static func firstWorksheet(_ book: BIFFWorkbook, _ stream: BIFFStream) throws(ReaderError)
        -> (name: String, bodyOffset: Int) {
        guard !book.sheets.isEmpty else { throw .noReadableSheet("the workbook lists no sheets") }
        for sheet in book.sheets where sheet.kind == 0 {
            guard sheet.offset < stream.bytes.count, let bof = try stream.record(at: sheet.offset),
                  bof.type == BIFF.bof, bof.length >= 4 else {
                throw .noReadableSheet("sheet \"\(sheet.name)\" points to byte \(sheet.offset), where no sheet starts")
            }
            if stream.u16(bof.start + 2) == BIFF.worksheetType { return (sheet.name, bof.end) }
        }
        throw .noReadableSheet("none of its \(book.sheets.count) sheets is a worksheet")
    }

    /// Reads records up to the end of the next row block (DBCELL) or the sheet's EOF.
    private func readBlock() throws(ReaderError) {
        while true {
            guard let record = try stream.record(at: offset) else {
                throw .corrupt("the worksheet \"\(sheetName ?? "")\" has no EOF record (the file is cut short)")
            }
            offset = record.end
            switch record.type {
            case BIFF.eof:
                rows.flush()
                finished = true
                return
            case BIFF.dbCell:
                rows.flush()
                return
            case BIFF.bof:
                try skipSubstream()
            default:
                try cell(record)
            }
        }
    }

    /// An embedded chart (BOF … EOF inside the sheet), skipped whole, nested ones included.
    private func skipSubstream() throws(ReaderError) {
        var depth = 1
        while depth > 0 {
            guard let record = try stream.record(at: offset) else {
                throw .corrupt("an embedded object in the worksheet has no EOF record")
            }
            offset = record.end
            if record.type == BIFF.bof { depth += 1 }
            if record.type == BIFF.eof { depth -= 1 }
        }
    }

    @inline(__always)
    private func cell(_ r: BIFFRecord) throws(ReaderError) {
        let s = stream
        let p = r.start
        switch r.type {
        case BIFF.number where r.length >= 14:
            try put(p, number: s.f64(p + 6), xf: s.u16(p + 4))
        case BIFF.rk where r.length >= 10:
            try put(p, number: Self.rk(s.u32(p + 6)), xf: s.u16(p + 4))
        case BIFF.mulRK where r.length >= 6:
            let row = Int(s.u16(p))
            let first = Int(s.u16(p + 2))
            let count = (r.length - 6) / 6
            for i in 0..<count {
                let at = p + 4 + 6 * i
                let text = CellText.formatted(Self.rk(s.u32(at + 2)), kind: book.kind(s.u16(at)), date1904: book.date1904)
                try store(row: row, column: first + i, text)
            }
        case BIFF.labelSST where r.length >= 10:
            let index = Int(s.u32(p + 6))
            guard index < book.strings.count else {
                throw .malformed(row: Int(s.u16(p)) + 1, reason: "shared string \(index) does not exist")
            }
            let string = book.strings[index]
            sharedTextBytes += Int64(string.utf8.count)
            if sharedTextBytes > limits.maxSharedTextBytes {
                throw .bomb(entry: "Workbook", reason: "its cells repeat shared strings into more than "
                    + "\(limits.maxSharedTextBytes) bytes of text")
            }
            try store(row: Int(s.u16(p)), column: Int(s.u16(p + 2)), string)
        case BIFF.label where r.length >= 8, BIFF.rString where r.length >= 8:
            try store(row: Int(s.u16(p)), column: Int(s.u16(p + 2)), book.text(s, r, at: 6, wideCount: true))
        case BIFF.boolErr where r.length >= 8:
            try store(row: Int(s.u16(p)), column: Int(s.u16(p + 2)), Self.boolOrError(s.u8(p + 6), isError: s.u8(p + 7) != 0))
        case BIFF.formula where r.length >= 20:
            let row = Int(s.u16(p)), column = Int(s.u16(p + 2))
            formulaString = nil
            guard s.u16(p + 12) == 0xFFFF else {
                try put(p, number: s.f64(p + 6), xf: s.u16(p + 4))
                return
            }
            switch s.u8(p + 6) {
            case 0: formulaString = (row, column)
            case 1: try store(row: row, column: column, Self.boolOrError(s.u8(p + 8), isError: false))
            case 2: try store(row: row, column: column, Self.boolOrError(s.u8(p + 8), isError: true))
            default: break  // 3: the empty string
            }
        case BIFF.string:
            guard let target = formulaString else { return }
            formulaString = nil
            try store(row: target.row, column: target.column, try formulaResult(r))
        default:
            break
        }
    }

    /// A STRING record: the cached text of the formula before it (BIFF8 strings may continue).
    private func formulaResult(_ r: BIFFRecord) throws(ReaderError) -> String {
        guard book.biff8 else { return try book.text(stream, r, at: 0, wideCount: true) }
        let (data, next) = try stream.continued(r)
        offset = next
        var copy = data
        guard r.length >= 2 else { throw BIFFWorkbook.cut(r) }
        let count = Int(try copy.u16())
        text.removeAll(keepingCapacity: true)
        try copy.unicodeString(count: count, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    @inline(__always)
    private func put(_ p: Int, number: Double, xf: UInt16) throws(ReaderError) {
        let text = CellText.formatted(number, kind: book.kind(xf), date1904: book.date1904)
        try store(row: Int(stream.u16(p)), column: Int(stream.u16(p + 2)), text)
    }

    @inline(__always)
    private func store(row: Int, column: Int, _ text: String) throws(ReaderError) {
        if text.isEmpty { return }
        if text.utf8.count > limits.maxCellBytes { throw .cellTooLarge(row: row + 1, limit: limits.maxCellBytes) }
        try rows.set(row: row, column: column, text)
    }

    /// An RK number ([MS-XLS] 2.5.217): a 30-bit integer or the top 30 bits of a double, ÷100 when flagged.
    @inline(__always)
    static func rk(_ raw: UInt32) -> Double {
        let value = raw & 0x02 != 0
            ? Double(Int32(bitPattern: raw) >> 2)
            : Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
        return raw & 0x01 != 0 ? value / 100 : value
    }

    static func boolOrError(_ value: UInt8, isError: Bool) -> String {
        isError ? BIFF.errorText(value) : (value != 0 ? "TRUE" : "FALSE")
    }
}
