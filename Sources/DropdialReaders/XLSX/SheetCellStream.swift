internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Streams the `<row>`s of a worksheet part as written, each rendered to text (SPEC §4).
/// Cells without `r` follow the previous cell, rows without `r` follow the previous row;
/// `<dimension>` is ignored. A row's cells run up to its last non-empty cell, gaps as `""`.
///
/// The worksheet is the one big part, so it is parsed with libxml2's SAX2 push parser
/// (xmlCreatePushParserCtxt + xmlParseChunk, fed 64 KiB at a time from the zip entry as it
/// inflates) instead of xmlTextReader: no node objects per element, attributes as one array.
/// Same safety as `XMLStream`: no network, no entity substitution, no DTD loading, and a DOCTYPE is
/// refused at its start (internalSubset callback), so nothing can be declared. Element names are
/// matched by local name, whatever the namespace (Strict and Transitional alike).
/// Per-cell work stays in byte buffers; only the final cell text is a `String`.
final class SheetCellStream {
    let partName: String
    private let source: ZipEntryStream
    private var handler = xmlSAXHandler()
    private var chunk: [UInt8]
    /// The parse state the SAX callbacks work on, behind a raw pointer: the callbacks touch it
    /// per element and per text run, and a raw pointer has no dynamic exclusivity checks.
    private let state: UnsafeMutablePointer<SheetParser>
    private var pendingHead = 0

    init(source: ZipEntryStream, strings: SharedStrings, formats: NumberFormats, date1904: Bool, maxCellBytes: Int,
         maxSharedTextBytes: Int64 = ReaderLimits.default.maxSharedTextBytes) {
        _ = libxml2Ready
        self.source = source
        self.partName = source.name
        state = .allocate(capacity: 1)
        state.initialize(to: SheetParser(partName: source.name, strings: strings, formats: formats, date1904: date1904,
                                         maxCellBytes: maxCellBytes, maxSharedTextBytes: maxSharedTextBytes))
        chunk = [UInt8](repeating: 0, count: 64 << 10)
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = saxStartElement
        handler.endElementNs = saxEndElement
        handler.characters = saxCharacters
        handler.ignorableWhitespace = saxCharacters
        handler.cdataBlock = saxCharacters
        handler.internalSubset = saxInternalSubset
        handler.externalSubset = saxInternalSubset
        handler.serror = saxIgnoreError
    }

    deinit {
        if let parser = state.pointee.parser { xmlFreeParserCtxt(parser) }
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The next `<row>` of `<sheetData>`, or nil after `</sheetData>`.
    func nextRow() throws(ReaderError) -> SourceRow? {
        while pendingHead == state.pointee.pending.count {
            state.pointee.pending.removeAll(keepingCapacity: true)
            pendingHead = 0
            if let failure = state.pointee.failure { throw failure }
            if state.pointee.done || state.pointee.ended { return nil }
            try feed()
        }
        defer { pendingHead += 1 }
        return state.pointee.pending[pendingHead]
    }

    /// Inflates the next chunk and pushes it through the parser.
    private func feed() throws(ReaderError) {
        let n = chunk.withUnsafeMutableBytes { source.read(into: $0.baseAddress!, count: $0.count) }
        if n < 0 {
            state.pointee.failure = source.failure ?? .corrupt("\(partName): unreadable zip entry")
            return
        }
        if state.pointee.parser == nil {
            guard let p = xmlCreatePushParserCtxt(&handler, UnsafeMutableRawPointer(state), nil, 0, partName) else {
                throw .corrupt("\(partName): cannot start the XML parser")
            }
            let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
                | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            xmlCtxtUseOptions(p, options)
            state.pointee.parser = p
        }
        let parser = state.pointee.parser
        state.pointee.sheetBytes = source.inflated
        _ = chunk.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { xmlParseChunk(parser, $0.baseAddress, Int32(n), n == 0 ? 1 : 0) }
        }
        if n == 0 { state.pointee.ended = true }
        if state.pointee.failure == nil, !state.pointee.done, let parser, parser.pointee.wellFormed == 0 {
            state.pointee.failure = parseFailure()
        }
        if state.pointee.failure == nil, state.pointee.ended, !state.pointee.done, state.pointee.level != .beforeSheetData {
            // The document ended inside <sheetData> without a well-formedness error.
            state.pointee.failure = .corrupt("\(partName): row \(state.pointee.currentRow) is not closed")
        }
    }

    /// The error for a failed parse: the zip layer's own failure first, then libxml2's.
    private func parseFailure() -> ReaderError {
        if let failure = source.failure { return failure }
        var message = "malformed XML"
        var code: Int32 = 0
        var line: Int32 = 0
        if let parser = state.pointee.parser, let error = xmlCtxtGetLastError(UnsafeMutableRawPointer(parser)) {
            if let m = error.pointee.message { message = String(cString: m) }
            while message.last?.isWhitespace == true { message.removeLast() }
            code = error.pointee.code
            line = error.pointee.line
        }
        if code == Int32(XML_ERR_ENTITY_LOOP.rawValue) || message.contains("amplification") {
            return .unsafeXML("entity expansion in \(partName): \(message)")
        }
        if message.contains("huge text") { return .cellTooLarge(row: state.pointee.currentRow, limit: state.pointee.maxCellBytes) }
        return .corrupt("\(partName) line \(line): \(message)")
    }
}

/// The worksheet's parse state and the SAX event handlers (see `SheetCellStream`).
struct SheetParser {
    fileprivate enum CellType { case number, shared, inline, formulaString, boolean, error, date }
    /// Where the parser is: each level only looks at the elements the pull reader looked at.
    enum Level { case beforeSheetData, sheetData, row, cell, item }

    let partName: String
    private let strings: SharedStrings
    private let formats: NumberFormats
    private let date1904: Bool
    let maxCellBytes: Int
    let maxSharedTextBytes: Int64
    /// Elements nested deeper than this are refused (a worksheet needs about 6 levels).
    static let maxDepth: Int32 = 256
    var parser: xmlParserCtxtPtr?
    /// Shared-string text given out so far, against `maxSharedTextBytes`, and past
    /// `sharedTextFloor` against `sharedTextRatio` times the worksheet XML inflated so far (a
    /// reference costs ~20 bytes of XML; a real sheet's strings are a few times that, not 50,000).
    private var sharedTextBytes: Int64 = 0
    var sheetBytes: Int64 = 0
    static let sharedTextFloor: Int64 = 64 << 20
    static let sharedTextRatio: Int64 = 16
    /// Large shared strings already made into `String`s: every cell referencing one shares its
    /// storage instead of copying it.
    private var largeStrings: [Int: String] = [:]
    static let largeString = 4096

    var level = Level.beforeSheetData
    private var depth: Int32 = 0
    var done = false
    var ended = false
    var failure: ReaderError?
    var pending: [SourceRow] = []
    private var previousRow = 0
    private(set) var currentRow = 0
    private var cells: [String] = []
    private var widthHint = 8
    // The cell being read.
    private var column = 0
    private var nextColumn = 0
    private var type = CellType.number
    private var style = 0
    private var text: [UInt8] = []
    private var hasInline = false
    private var inValue = false
    // The `<is>` string item being read (see StringItemReader: `<t>` runs joined, `<rPh>` skipped).
    private var itemDepth: Int32 = 0
    private var itemFits = true
    private var itemStart = 0
    private var inT = false
    private var skipDepth: Int32 = -1
    private var raw: [UInt8] = []

    init(partName: String, strings: SharedStrings, formats: NumberFormats, date1904: Bool, maxCellBytes: Int,
         maxSharedTextBytes: Int64) {
        self.partName = partName
        self.maxSharedTextBytes = maxSharedTextBytes
        self.strings = strings
        self.formats = formats
        self.date1904 = date1904
        self.maxCellBytes = maxCellBytes
        text.reserveCapacity(256)
    }

    /// Records the first failure and stops the parser; rows completed before it are still given.
    mutating func fail(_ error: ReaderError) {
        if failure == nil { failure = error }
        if let parser { xmlStopParser(parser) }
    }

    // MARK: SAX events

    mutating func startElement(_ name: UnsafePointer<UInt8>, _ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        depth += 1
        if depth > Self.maxDepth {
            fail(.corrupt("\(partName): elements nested more than \(Self.maxDepth) deep"))
            return
        }
        switch level {
        case .beforeSheetData:
            if Self.named(name, "sheetData") { level = .sheetData }
        case .sheetData:
            if Self.named(name, "row") { startRow(count, attributes) }
        case .row:
            if Self.named(name, "c") { startCell(count, attributes) }
        case .cell:
            if Self.named(name, "v") {
                // An inline-string cell reads its `<is>` text only, even beside a `<v>` (SPEC §4).
                inValue = type != .inline
            } else if Self.named(name, "is") {
                hasInline = true
                level = .item
                itemDepth = depth
                itemFits = true
                itemStart = text.count
                inT = false
                skipDepth = -1
            }
        case .item:
            if skipDepth >= 0 { return }
            if Self.named(name, "rPh") {
                skipDepth = depth
            } else if Self.named(name, "t") {
                inT = true
                raw.removeAll(keepingCapacity: true)
            }
        }
    }

    mutating func endElement(_ name: UnsafePointer<UInt8>) {
        defer { depth -= 1 }
        switch level {
        case .beforeSheetData:
            break
        case .sheetData:
            if Self.named(name, "sheetData") {
                done = true
                if let parser { xmlStopParser(parser) }
            }
        case .row:
            if Self.named(name, "row") { endRow() }
        case .cell:
            if Self.named(name, "c") {
                endCell()
            } else if inValue, Self.named(name, "v") {
                inValue = false
            }
        case .item:
            if depth == itemDepth {
                level = .cell
                if !itemFits { fail(.cellTooLarge(row: currentRow, limit: maxCellBytes)) }
            } else if depth == skipDepth {
                skipDepth = -1
            } else if skipDepth < 0, inT, Self.named(name, "t") {
                inT = false
                if itemFits {
                    EscapedText.appendDecoded(raw, to: &text)
                    if text.count - itemStart > maxCellBytes {
                        itemFits = false
                        text.removeSubrange(itemStart...)
                    }
                }
            }
        }
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch level {
        case .cell where inValue:
            text.append(contentsOf: bytes)
            if text.count > maxCellBytes { fail(.cellTooLarge(row: currentRow, limit: maxCellBytes)) }
        case .item where inT && skipDepth < 0:
            guard itemFits else { return }
            raw.append(contentsOf: bytes)
            // An escape (`_xHHHH_`, 7 bytes) decodes to at least 1 byte, so past 7x the limit the
            // run cannot fit: stop here rather than buffer a huge cell.
            if raw.count > 7 * (maxCellBytes + 1) {
                itemFits = false
                fail(.cellTooLarge(row: currentRow, limit: maxCellBytes))
            }
        default:
            break
        }
    }

    mutating func startRow(_ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        var number = previousRow + 1
        Self.forEachAttribute(count, attributes) { name, value in
            if name[0] == UInt8(ascii: "r"), name[1] == 0 {
                guard let n = CellReference.integer(value) else {
                    fail(.corrupt("\(partName): row reference \"\(String(decoding: value, as: UTF8.self))\" is not a number"))
                    return
                }
                number = n
            }
        }
        if failure != nil { return }
        guard number >= 1, number <= CellReference.maxRows else {
            fail(.corrupt("\(partName): row number \(number) is outside 1…\(CellReference.maxRows)"))
            return
        }
        previousRow = number
        currentRow = number
        cells = []
        cells.reserveCapacity(widthHint)
        nextColumn = 0
        level = .row
    }

    mutating func endRow() {
        widthHint = max(widthHint, cells.count)
        pending.append(SourceRow(number: currentRow, cells: cells))
        cells = []
        level = .sheetData
    }

    mutating func startCell(_ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        column = nextColumn
        type = .number
        style = 0
        Self.forEachAttribute(count, attributes) { name, value in
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
            fail(.corrupt("\(partName): row \(currentRow) has a cell past column XFD"))
            return
        }
        text.removeAll(keepingCapacity: true)
        hasInline = false
        inValue = false
        level = .cell
    }

    mutating func endCell() {
        level = .row
        nextColumn = column + 1
        let value: String
        do throws(ReaderError) {
            value = try render(type, style: style, inline: hasInline)
        } catch {
            fail(error)
            return
        }
        guard !value.isEmpty else { return }
        if column >= cells.count {
            for _ in cells.count..<column { cells.append("") }
            cells.append(value)
        } else {
            cells[column] = value  // out-of-order or repeated column: last one wins
        }
    }

    /// SAX2 attributes: `count` entries of (localname, prefix, URI, value, valueEnd).
    @inline(__always)
    private static func forEachAttribute(_ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                                  _ body: (UnsafePointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        guard let attributes else { return }
        for i in 0..<count {
            guard let name = attributes[5 * i], let start = attributes[5 * i + 3], let end = attributes[5 * i + 4] else { continue }
            body(name, UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    /// Byte-wise comparison of a NUL-terminated name with an ASCII literal.
    @inline(__always)
    private static func named(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let l = literal.utf8Start
        let n = literal.utf8CodeUnitCount
        for i in 0..<n where name[i] != l[i] { return false }
        return name[n] == 0
    }

    /// The cell's text from its type, its raw `<v>`/`<is>` bytes in `text`, and its style.
    private mutating func render(_ type: CellType, style: Int, inline: Bool) throws(ReaderError) -> String {
        if text.isEmpty { return "" }
        switch type {
        case .number:
            return text.withUnsafeBufferPointer { renderNumber($0, kind: formats.kind(style)) }
        case .shared:
            guard let index = text.withUnsafeBufferPointer({ CellReference.integer($0) }),
                  let entry = strings.string(at: index) else {
                throw .malformed(row: currentRow, reason: "shared string \(String(decoding: text, as: UTF8.self)) does not exist")
            }
            guard var string = entry else { throw .cellTooLarge(row: currentRow, limit: maxCellBytes) }
            let size = string.utf8.count
            sharedTextBytes += Int64(size)
            if sharedTextBytes > maxSharedTextBytes
                || (sharedTextBytes > Self.sharedTextFloor && sharedTextBytes > Self.sharedTextRatio * sheetBytes) {
                throw .bomb(entry: partName, reason: "its cells repeat shared strings into \(sharedTextBytes) bytes of text "
                    + "from \(sheetBytes) bytes of sheet (limits: \(maxSharedTextBytes) bytes, or \(Self.sharedTextRatio)x the sheet past \(Self.sharedTextFloor))")
            }
            if size >= Self.largeString {
                if let cached = largeStrings[index] { return cached }
                string.makeContiguousUTF8()
                largeStrings[index] = string
            }
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
}

private extension String {
    /// The string without leading/trailing ASCII spaces, tabs and line breaks.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}

// MARK: libxml2 SAX2 callbacks (C function pointers; the context is the SheetParser).

@inline(__always)
private func stream(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<SheetParser> {
    context!.assumingMemoryBound(to: SheetParser.self)
}

private let saxStartElement: startElementNsSAX2Func = { context, localName, _, _, _, _, attributeCount, _, attributes in
    guard let localName else { return }
    stream(context).pointee.startElement(localName, Int(attributeCount), attributes)
}

private let saxEndElement: endElementNsSAX2Func = { context, localName, _, _ in
    guard let localName else { return }
    stream(context).pointee.endElement(localName)
}

private let saxCharacters: charactersSAXFunc = { context, bytes, count in
    guard let bytes, count > 0 else { return }
    stream(context).pointee.characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
}

/// A DOCTYPE, with or without an internal subset: refused before anything in it is declared.
private let saxInternalSubset: internalSubsetSAXFunc = { context, _, _, _ in
    stream(context).pointee.fail(.unsafeXML("DOCTYPE is not allowed"))
}

/// Errors are read from the context when a chunk fails; nothing is printed.
private let saxIgnoreError: xmlStructuredErrorFunc = { _, _ in }
