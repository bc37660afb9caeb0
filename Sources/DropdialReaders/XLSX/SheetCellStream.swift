/// Streams the `<row>`s of a worksheet part as written, each rendered to text (SPEC §4).
/// Cells without `r` follow the previous cell, rows without `r` follow the previous row;
/// `<dimension>` is ignored. A row's cells run up to its last non-empty cell, gaps as `""`.
/// Per-cell work stays in C strings and byte buffers; only the final cell text is a `String`.
final class SheetCellStream {
    private enum CellType { case number, shared, inline, formulaString, boolean, error, date }

    private let xml: XMLStream
    private let strings: SharedStrings
    private let formats: NumberFormats
    private let date1904: Bool
    private let maxCellBytes: Int
    private var item: StringItemReader
    private let sheetData, row, c, v, inlineString: XMLName

    private var inSheetData = false
    private var done = false
    private var previousRow = 0
    private var currentRow = 0
    private var text: [UInt8] = []
    private var widthHint = 8

    init(_ xml: XMLStream, strings: SharedStrings, formats: NumberFormats, date1904: Bool, maxCellBytes: Int) {
        self.xml = xml
        self.strings = strings
        self.formats = formats
        self.date1904 = date1904
        self.maxCellBytes = maxCellBytes
        item = StringItemReader(xml)
        sheetData = xml.intern("sheetData")
        row = xml.intern("row")
        c = xml.intern("c")
        v = xml.intern("v")
        inlineString = xml.intern("is")
        text.reserveCapacity(256)
    }

    /// The next `<row>` of `<sheetData>`, or nil after `</sheetData>`.
    func nextRow() throws(ReaderError) -> SourceRow? {
        do throws(ReaderError) {
            return try readNextRow()
        } catch .cellTooLarge(row: 0, _) {
            // libxml2's own text-node cap (10 MB): name the row being read.
            throw .cellTooLarge(row: currentRow, limit: maxCellBytes)
        }
    }

    private func readNextRow() throws(ReaderError) -> SourceRow? {
        while !done {
            let type = try next()
            if type == XMLNode.end { done = true; break }
            if type == XMLNode.element {
                if inSheetData {
                    if xml.named(row) { return try readRow() }
                } else if xml.named(sheetData) {
                    if xml.isEmptyElement { done = true } else { inSheetData = true }
                }
            } else if type == XMLNode.endElement, inSheetData, xml.named(sheetData) {
                done = true
            }
        }
        return nil
    }

    /// Reads one `<row>` (the reader is on its start element).
    private func readRow() throws(ReaderError) -> SourceRow {
        var number = previousRow + 1
        try xml.forEachAttribute { (name, value, _) throws(ReaderError) in
            if name[0] == UInt8(ascii: "r"), name[1] == 0 {
                guard let n = CellReference.integer(value) else {
                    throw .corrupt("\(xml.partName): row reference \"\(String(decoding: value, as: UTF8.self))\" is not a number")
                }
                number = n
            }
        }
        guard number >= 1, number <= CellReference.maxRows else {
            throw .corrupt("\(xml.partName): row number \(number) is outside 1…\(CellReference.maxRows)")
        }
        previousRow = number
        currentRow = number
        var cells: [String] = []
        if xml.isEmptyElement { return SourceRow(number: number, cells: cells) }
        cells.reserveCapacity(widthHint)
        var nextColumn = 0
        while true {
            let type = try next()
            if type == XMLNode.element {
                if xml.named(c) {
                    let (column, value) = try readCell(defaultColumn: nextColumn)
                    nextColumn = column + 1
                    guard !value.isEmpty else { continue }
                    if column >= cells.count {
                        for _ in cells.count..<column { cells.append("") }
                        cells.append(value)
                    } else {
                        cells[column] = value  // out-of-order or repeated column: last one wins
                    }
                }
            } else if type == XMLNode.endElement {
                if xml.named(row) { break }
            } else if type == XMLNode.end {
                throw .corrupt("\(xml.partName): row \(number) is not closed")
            }
        }
        widthHint = max(widthHint, cells.count)
        return SourceRow(number: number, cells: cells)
    }

    /// Reads one `<c>` (the reader is on its start element) and renders its value.
    private func readCell(defaultColumn: Int) throws(ReaderError) -> (Int, String) {
        var column = defaultColumn
        var type = CellType.number
        var style = 0
        try xml.forEachAttribute { name, value, _ in
            guard name[1] == 0 else { return }
            switch name[0] {
            case UInt8(ascii: "r"):
                if let col = CellReference.column(value) { column = col }
            case UInt8(ascii: "t"):
                type = Self.cellType(value)
            case UInt8(ascii: "s"):
                style = CellReference.integer(value) ?? 0
            default: break
            }
        }
        guard column < CellReference.maxColumns else {
            throw .corrupt("\(xml.partName): row \(currentRow) has a cell past column XFD")
        }
        if xml.isEmptyElement { return (column, "") }
        text.removeAll(keepingCapacity: true)
        var hasInline = false
        var inValue = false
        while true {
            let node = try next()
            if node == XMLNode.element {
                if xml.named(v) {
                    inValue = !xml.isEmptyElement
                } else if xml.named(inlineString) {
                    hasInline = true
                    guard try item.read(xml, into: &text, limit: maxCellBytes) else {
                        throw .cellTooLarge(row: currentRow, limit: maxCellBytes)
                    }
                }
            } else if inValue, XMLNode.isText(node) {
                text.append(contentsOf: xml.value)
                if text.count > maxCellBytes { throw .cellTooLarge(row: currentRow, limit: maxCellBytes) }
            } else if node == XMLNode.endElement {
                if xml.named(c) { break }
                if inValue, xml.named(v) { inValue = false }
            } else if node == XMLNode.end {
                throw .corrupt("\(xml.partName): cell in row \(currentRow) is not closed")
            }
        }
        return (column, try render(type, style: style, inline: hasInline))
    }

    /// The cell's text from its type, its raw `<v>`/`<is>` bytes in `text`, and its style.
    private func render(_ type: CellType, style: Int, inline: Bool) throws(ReaderError) -> String {
        if text.isEmpty { return "" }
        switch type {
        case .number:
            return text.withUnsafeBufferPointer { renderNumber($0, kind: formats.kind(style)) }
        case .shared:
            guard let index = text.withUnsafeBufferPointer({ CellReference.integer($0) }),
                  let entry = strings.string(at: index) else {
                throw .malformed(row: currentRow, reason: "shared string \(String(decoding: text, as: UTF8.self)) does not exist")
            }
            guard let string = entry else { throw .cellTooLarge(row: currentRow, limit: maxCellBytes) }
            return string
        case .inline where inline:
            return String(decoding: text, as: UTF8.self)
        case .inline, .formulaString:
            var decoded: [UInt8] = []
            decoded.reserveCapacity(text.count)
            EscapedText.appendDecoded(text, to: &decoded)
            return String(decoding: decoded, as: UTF8.self)
        case .boolean:
            if text == [0x31] || text == Array("true".utf8) { return "TRUE" }
            if text == [0x30] || text == Array("false".utf8) { return "FALSE" }
            return String(decoding: text, as: UTF8.self)
        case .error:
            return String(decoding: text, as: UTF8.self)
        case .date:
            return CellText.isoDateTime(String(decoding: text, as: UTF8.self))
        }
    }

    /// A numeric `<v>`: canonical integers below 1e15 are copied as written (the common case,
    /// no Double round trip); anything else goes through `CellText`. Non-numeric text is kept.
    @inline(__always)
    private func renderNumber(_ raw: UnsafeBufferPointer<UInt8>, kind: NumberFormatKind) -> String {
        if kind == .number, Self.isPlainInteger(raw) { return String(decoding: raw, as: UTF8.self) }
        let string = String(decoding: raw, as: UTF8.self)
        guard let value = Double(string.trimmingSpaces()) else { return string }
        return CellText.formatted(value, kind: kind, date1904: date1904)
    }

    /// `0`, or an optional `-` and 1–15 digits without a leading zero: the text `CellText.number`
    /// would print for the same value.
    @inline(__always)
    private static func isPlainInteger(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if raw.count > 1, raw[0] == UInt8(ascii: "-") { i = 1 }
        let digits = raw.count - i
        guard digits >= 1, digits <= 15 else { return false }
        if raw[i] == UInt8(ascii: "0") { return raw.count == 1 }
        while i < raw.count {
            guard raw[i] >= 48, raw[i] <= 57 else { return false }
            i += 1
        }
        return true
    }

    private static func cellType(_ value: UnsafeBufferPointer<UInt8>) -> CellType {
        if value.equals("s") { return .shared }
        if value.equals("str") { return .formulaString }
        if value.equals("inlineStr") { return .inline }
        if value.equals("b") { return .boolean }
        if value.equals("e") { return .error }
        if value.equals("d") { return .date }
        return .number
    }

    @inline(__always)
    private func next() throws(ReaderError) -> Int32 { try xml.next() }
}

private extension String {
    /// The string without leading/trailing ASCII spaces, tabs and line breaks.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
