/// The workbook globals substream of a BIFF5/BIFF8 workbook: what rendering the first worksheet
/// needs (shared strings, each XF's number-format kind, the 1904 flag, the BIFF5 code page) and
/// where that worksheet starts.
struct BIFFWorkbook {
    struct Sheet {
        var name: String
        /// Stream offset of the sheet's BOF record.
        var offset: Int
        /// BOUNDSHEET's dt: 0 worksheet (or dialog), 1 macro sheet, 2 chart, 6 VBA module.
        var kind: UInt8
    }

    let biff8: Bool
    private(set) var date1904 = false
    /// BIFF5 only: the converter for the workbook's CODEPAGE (Windows-1252 until one is named).
    private(set) var codepage: CodepageDecoder?
    private(set) var sheets: [Sheet] = []
    private(set) var strings: [String] = []
    private var xfFormats: [UInt16] = []
    private var customFormats: [UInt16: NumberFormatKind] = [:]
    private(set) var kinds: [NumberFormatKind] = []

    /// Parses the globals, from the stream's first BOF to its EOF.
    init(_ stream: BIFFStream) throws(ReaderError) {
        guard let bof = try stream.record(at: 0), bof.type == BIFF.bof, bof.length >= 4 else {
            if let first = try? stream.record(at: 0), [0x0009, 0x0209, 0x0409].contains(first.type) {
                throw .corrupt("an Excel 2.x–4.x worksheet (BIFF2–4); open it in a spreadsheet program and save it as .xlsx")
            }
            throw .corrupt("the workbook stream does not start with a BIFF5/BIFF8 BOF record")
        }
        let version = stream.u16(bof.start)
        guard stream.u16(bof.start + 2) == BIFF.globalsType else {
            throw .corrupt("the workbook stream does not start with the workbook globals")
        }
        biff8 = version == BIFF.biff8
        guard biff8 || version == BIFF.biff5 else {
            throw .corrupt("BIFF version 0x\(String(version, radix: 16)) is not BIFF5 or BIFF8")
        }
        if !biff8 { codepage = try CodepageDecoder(codepage: 1252) }
        var offset = bof.end
        while true {
            guard let record = try stream.record(at: offset) else {
                throw .corrupt("the workbook globals have no EOF record")
            }
            offset = record.end
            switch record.type {
            case BIFF.eof:
                kinds = xfFormats.map { id in
                    if let custom = customFormats[id], custom != .number { return custom }
                    return NumberFormatKind(builtinID: Int(id))
                }
                return
            case BIFF.filePass:
                throw .encrypted
            case BIFF.codepage where !biff8 && record.length >= 2:
                let page = Int(stream.u16(record.start))
                if page != codepage?.codepage { codepage = try CodepageDecoder(codepage: page) }
            case BIFF.dateMode where record.length >= 2:
                date1904 = stream.u16(record.start) == 1
            case BIFF.format where record.length >= 3, BIFF.formatBIFF4 where record.length >= 3:
                let id = stream.u16(record.start)
                let code = try text(stream, record, at: 2, wideCount: biff8)
                customFormats[id] = NumberFormatKind(code: code)
            case BIFF.xf where record.length >= 4:
                xfFormats.append(stream.u16(record.start + 2))
            case BIFF.boundSheet where record.length >= 7:
                sheets.append(Sheet(name: try text(stream, record, at: 6, wideCount: false),
                                    offset: Int(stream.u32(record.start)), kind: stream.u8(record.start + 5)))
            case BIFF.sst where biff8 && record.length >= 8:
                let (data, next) = try stream.continued(record)
                strings = try Self.sharedStrings(data, declared: stream.u32(record.start + 4))
                offset = next
            default:
                break
            }
        }
    }

    /// The number-format kind of the cell format at `xf`; unknown indexes are plain numbers.
    @inline(__always)
    func kind(_ xf: UInt16) -> NumberFormatKind {
        Int(xf) < kinds.count ? kinds[Int(xf)] : .number
    }

    /// A record's string at `at`: BIFF8 XLUnicodeString (count, options, characters), BIFF5 a
    /// byte count and code-page bytes. `wideCount` says the count is 2 bytes (else 1).
    func text(_ stream: BIFFStream, _ record: BIFFRecord, at: Int, wideCount: Bool) throws(ReaderError) -> String {
        let countSize = wideCount ? 2 : 1
        guard record.length >= at + countSize else { throw Self.cut(record) }
        let count = wideCount ? Int(stream.u16(record.start + at)) : Int(stream.u8(record.start + at))
        var bytes: [UInt8] = []
        if biff8 {
            var data = ContinuedData(bytes: stream.bytes, segments: [(record.start + at + countSize)..<record.end])
            try data.unicodeString(count: count, into: &bytes)
        } else {
            guard record.length >= at + countSize + count else { throw Self.cut(record) }
            codepage?.append(stream.bytes, from: record.start + at + countSize, count: count, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func cut(_ record: BIFFRecord) -> ReaderError {
        .corrupt("BIFF record 0x\(String(record.type, radix: 16)) at byte \(record.start - 4) is shorter than its string")
    }

    /// The SST's strings. The declared count is checked against what the records hold, never
    /// used to size anything up front.
    private static func sharedStrings(_ data: ContinuedData, declared: UInt32) throws(ReaderError) -> [String] {
        var data = data
        try data.skip(8)
        var strings: [String] = []
        let size = data.segments.reduce(0) { $0 + $1.count }
        strings.reserveCapacity(min(Int(declared), size / 3))
        var bytes: [UInt8] = []
        while strings.count < Int(declared) {
            if data.isAtEnd {
                throw .corrupt("the shared-string table declares \(declared) strings but holds \(strings.count)")
            }
            let count = Int(try data.u16())
            bytes.removeAll(keepingCapacity: true)
            try data.unicodeString(count: count, into: &bytes)
            strings.append(String(decoding: bytes, as: UTF8.self))
        }
        return strings
    }
}
