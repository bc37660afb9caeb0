/// The BIFF record ids the reader acts on ([MS-XLS] 2.3).
enum BIFF {
    static let bof: UInt16 = 0x0809
    static let eof: UInt16 = 0x000A
    static let `continue`: UInt16 = 0x003C
    static let filePass: UInt16 = 0x002F
    static let codepage: UInt16 = 0x0042
    static let dateMode: UInt16 = 0x0022
    static let format: UInt16 = 0x041E
    static let formatBIFF4: UInt16 = 0x001E
    static let xf: UInt16 = 0x00E0
    static let boundSheet: UInt16 = 0x0085
    static let sst: UInt16 = 0x00FC
    static let number: UInt16 = 0x0203
    static let rk: UInt16 = 0x027E
    static let mulRK: UInt16 = 0x00BD
    static let labelSST: UInt16 = 0x00FD
    static let label: UInt16 = 0x0204
    static let rString: UInt16 = 0x00D6
    static let boolErr: UInt16 = 0x0205
    static let formula: UInt16 = 0x0006
    static let string: UInt16 = 0x0207
    static let dbCell: UInt16 = 0x00D7

    /// BOF substream types (the word after the version).
    static let globalsType: UInt16 = 0x0005
    static let worksheetType: UInt16 = 0x0010
    /// BOF versions: BIFF8 (Excel 97–2003) and BIFF5 (Excel 5/95).
    static let biff8: UInt16 = 0x0600
    static let biff5: UInt16 = 0x0500

    /// Excel's error codes ([MS-XLS] 2.5.10 BErr) as cells print them.
    static func errorText(_ code: UInt8) -> String {
        switch code {
        case 0x00: "#NULL!"
        case 0x07: "#DIV/0!"
        case 0x0F: "#VALUE!"
        case 0x17: "#REF!"
        case 0x1D: "#NAME?"
        case 0x24: "#NUM!"
        case 0x2A: "#N/A"
        case 0x2B: "#GETTING_DATA"
        default: "#N/A"
        }
    }
}

/// One record's place in the workbook stream: its id and its data bytes `start..<start+length`.
struct BIFFRecord {
    var type: UInt16
    var start: Int
    var length: Int
    var end: Int { start + length }
}

/// The workbook stream as records. Every record must fit in the stream: a length past the end is
/// a corrupt file, never a short read.
struct BIFFStream {
    let bytes: [UInt8]

    /// The record whose header is at `offset`; nil at the end of the stream (or in zero padding
    /// after the last record, which some producers leave).
    @inline(__always)
    func record(at offset: Int) throws(ReaderError) -> BIFFRecord? {
        guard offset + 4 <= bytes.count else {
            if offset < bytes.count, bytes[offset...].allSatisfy({ $0 == 0 }) { return nil }
            if offset >= bytes.count { return nil }
            throw .corrupt("a BIFF record header at byte \(offset) is cut off by the end of the workbook stream")
        }
        let type = u16(offset)
        let length = Int(u16(offset + 2))
        if type == 0 && length == 0, bytes[offset...].allSatisfy({ $0 == 0 }) { return nil }
        guard offset + 4 + length <= bytes.count else {
            throw .corrupt("BIFF record 0x\(String(type, radix: 16)) at byte \(offset) is \(length) bytes long, "
                + "past the end of the workbook stream")
        }
        return BIFFRecord(type: type, start: offset + 4, length: length)
    }

    /// The record and the CONTINUE records that follow it, as one reader; `next` is the offset of
    /// the first record after them.
    func continued(_ first: BIFFRecord) throws(ReaderError) -> (data: ContinuedData, next: Int) {
        var segments = [first.start..<first.end]
        var next = first.end
        while let record = try record(at: next), record.type == BIFF.continue {
            segments.append(record.start..<record.end)
            next = record.end
        }
        return (ContinuedData(bytes: bytes, segments: segments), next)
    }

    @inline(__always) func u8(_ at: Int) -> UInt8 { bytes[at] }
    @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    @inline(__always) func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    @inline(__always) func f64(_ at: Int) -> Double {
        Double(bitPattern: UInt64(u32(at)) | UInt64(u32(at + 4)) << 32)
    }
}

/// A record's data joined with its CONTINUE records. Strings that cross a CONTINUE boundary carry
/// a fresh option byte there ([MS-XLS] 2.5.293); `unicodeString` handles that.
struct ContinuedData {
    let bytes: [UInt8]
    let segments: [Range<Int>]
    private var segment = 0
    private var at: Int

    init(bytes: [UInt8], segments: [Range<Int>]) {
        self.bytes = bytes
        self.segments = segments
        at = segments.first?.lowerBound ?? 0
    }

    /// Bytes left in the current segment.
    private var available: Int { segment < segments.count ? segments[segment].upperBound - at : 0 }

    var isAtEnd: Bool {
        var s = segment, a = at
        while s < segments.count {
            if a < segments[s].upperBound { return false }
            s += 1
            if s < segments.count { a = segments[s].lowerBound }
        }
        return true
    }

    /// Moves to the next segment when the current one is used up; false at the very end.
    private mutating func advanceIfNeeded() -> Bool {
        while available <= 0 {
            segment += 1
            guard segment < segments.count else { return false }
            at = segments[segment].lowerBound
        }
        return true
    }

    mutating func u8() throws(ReaderError) -> UInt8 {
        guard advanceIfNeeded() else { throw Self.short }
        at += 1
        return bytes[at - 1]
    }

    mutating func u16() throws(ReaderError) -> UInt16 {
        let lo = try u8()
        return UInt16(lo) | UInt16(try u8()) << 8
    }

    mutating func u32() throws(ReaderError) -> UInt32 {
        let lo = try u16()
        return UInt32(lo) | UInt32(try u16()) << 16
    }

    mutating func skip(_ count: Int) throws(ReaderError) {
        var left = count
        while left > 0 {
            guard advanceIfNeeded() else { throw Self.short }
            let step = min(left, available)
            at += step
            left -= step
        }
    }

    /// An XLUnicodeRichExtendedString body ([MS-XLS] 2.5.293) after its character count: the
    /// option byte, the rich-run and phonetic sizes, the characters (which may switch between
    /// one and two bytes at each CONTINUE), then the runs and phonetic data skipped.
    mutating func unicodeString(count: Int, into text: inout [UInt8]) throws(ReaderError) {
        let options = try u8()
        var wide = options & 0x01 != 0
        let runs = options & 0x08 != 0 ? Int(try u16()) : 0
        let extra = options & 0x04 != 0 ? Int(try u32()) : 0
        var left = count
        while left > 0 {
            if available <= 0 {
                guard advanceIfNeeded() else { throw Self.short }
                wide = try u8() & 0x01 != 0  // a continued string restates its width
                guard advanceIfNeeded() else { throw Self.short }
            }
            let width = wide ? 2 : 1
            let take = min(left, available / width)
            guard take > 0 else { throw .corrupt("a string's two-byte character is split across BIFF records") }
            BIFFText.append(bytes, from: at, count: take, wide: wide, to: &text)
            at += take * width
            left -= take
        }
        try skip(4 * runs)
        try skip(extra)
    }

    private static var short: ReaderError {
        .corrupt("a BIFF record (with its CONTINUE records) ends in the middle of a value")
    }
}
