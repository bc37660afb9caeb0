#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits UTF-8 text into records and fields: RFC 4180 quoting, read leniently the way spreadsheets
/// do, CRLF/LF/CR line ends. Works chunk by chunk; only the field in progress is ever copied.
struct CSVTokenizer {
    /// Where the field being read stands; survives a chunk boundary.
    enum FieldState {
        /// Nothing of the field read yet.
        case start
        /// Literal text up to the next delimiter or line end (also text after a closing quote).
        case unquoted
        /// Inside quotes.
        case quoted
        /// Just saw a quote inside quotes: `""` escape or the closing quote, decided by the next byte.
        case quotedQuote
    }

    /// More cells than this in one record is not a contact sheet (Excel stops at 16,384 columns);
    /// the cap keeps a file of bare delimiters from turning into billions of empty strings.
    static let maxCellsPerRow = 65_536

    private let stream: DecodedByteStream
    private let delimiter: UInt8
    private let maxCellBytes: Int
    private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var position = 0
    /// The previous record ended with CR: a LF right after it belongs to that line end.
    private var skipLF = false
    private var finished = false
    /// Records produced so far (the number a person sees for the last one).
    private var recordNumber = 0
    /// Bytes of the field in progress when it spans chunks, is quoted, or follows a closing quote.
    private var pending: [UInt8] = []
    /// The previous record's width, to size the next one's array.
    private var widthHint = 8

    init(stream: DecodedByteStream, delimiter: UInt8, maxCellBytes: Int) {
        self.stream = stream
        self.delimiter = delimiter
        self.maxCellBytes = maxCellBytes
        pending.reserveCapacity(256)
    }

    /// Drops the first `count` bytes of text (a `sep=` line).
    mutating func skip(_ count: Int) throws(ReaderError) {
        var left = count
        while left > 0 {
            if position >= chunk.count {
                guard try refill() else { return }
            }
            let step = min(left, chunk.count - position)
            position += step
            left -= step
        }
    }

    /// The next record, or nil after the last. A trailing line end does not make an extra record.
    mutating func nextRow() throws(ReaderError) -> SourceRow? {
        if finished { return nil }
        let number = recordNumber + 1
        var cells: [String] = []
        cells.reserveCapacity(widthHint)
        var state = FieldState.start
        var rowStarted = false
        pending.removeAll(keepingCapacity: true)
        let delimiter = self.delimiter
        let maxCellBytes = self.maxCellBytes

        while true {
            if position >= chunk.count {
                guard try refill() else {
                    return try endOfText(number: number, state: state, rowStarted: rowStarted, cells: &cells)
                }
            }
            let base = chunk.baseAddress!
            let end = chunk.count
            var p = position
            if skipLF {
                skipLF = false
                if base[p] == ASCII.lf {
                    position = p + 1
                    continue
                }
            }

            // The byte that ended the last field, if one did before `end`.
            var terminator: UInt8 = 0
            scan: while p < end {
                switch state {
                case .start:
                    let byte = base[p]
                    if byte == ASCII.quote {
                        state = .quoted
                        rowStarted = true
                        p += 1
                        continue scan
                    }
                    if byte == ASCII.lf || byte == ASCII.cr {
                        p += 1
                        terminator = byte
                        if rowStarted { try append("", to: &cells, number: number) }  // "a,⏎": empty last cell
                        break scan
                    }
                    rowStarted = true
                    // Fast path: the whole unquoted field is in this chunk; one String from the slice.
                    let q = Self.findSpecial(base, from: p, end: end, delimiter: delimiter)
                    if q < end {
                        let length = q - p
                        if length > maxCellBytes { throw .cellTooLarge(row: number, limit: maxCellBytes) }
                        try append(
                            String(decoding: UnsafeBufferPointer(start: base + p, count: length), as: UTF8.self),
                            to: &cells, number: number)
                        terminator = base[q]
                        p = q + 1
                        if terminator == delimiter { continue scan }
                        break scan
                    }
                    try accumulate(base + p, count: end - p, number: number)
                    state = .unquoted
                    p = end
                case .unquoted:
                    let q = Self.findSpecial(base, from: p, end: end, delimiter: delimiter)
                    try accumulate(base + p, count: q - p, number: number)
                    if q == end {
                        p = end
                        continue scan
                    }
                    try append(takePending(), to: &cells, number: number)
                    state = .start
                    terminator = base[q]
                    p = q + 1
                    if terminator == delimiter { continue scan }
                    break scan
                case .quoted:
                    guard let hit = memchr(base + p, Int32(ASCII.quote), end - p) else {
                        try accumulate(base + p, count: end - p, number: number)
                        p = end
                        continue scan
                    }
                    let q = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    try accumulate(base + p, count: q - p, number: number)
                    state = .quotedQuote
                    p = q + 1
                case .quotedQuote:
                    if base[p] == ASCII.quote {
                        try accumulateQuote(number: number)
                        state = .quoted
                        p += 1
                    } else {
                        // Closed. Whatever follows up to the delimiter is kept literally.
                        state = .unquoted
                    }
                }
            }
            position = p
            if terminator == ASCII.lf || terminator == ASCII.cr {
                if terminator == ASCII.cr {
                    if p < end {
                        if base[p] == ASCII.lf { position = p + 1 }
                    } else {
                        skipLF = true
                    }
                }
                recordNumber = number
                widthHint = cells.count
                return SourceRow(number: number, cells: cells)
            }
        }
    }

    /// Finishes the record in progress when the text ends.
    private mutating func endOfText(
        number: Int, state: FieldState, rowStarted: Bool, cells: inout [String]
    ) throws(ReaderError) -> SourceRow? {
        finished = true
        switch state {
        case .start:
            guard rowStarted else { return nil }  // nothing after the last line end
            try append("", to: &cells, number: number)  // "a," at end of file
        case .unquoted, .quotedQuote:
            try append(takePending(), to: &cells, number: number)
        case .quoted:
            throw .malformed(row: number, reason: "a quoted field opened here never closes")
        }
        recordNumber = number
        return SourceRow(number: number, cells: cells)
    }

    /// Loads the next chunk; false at end of text.
    private mutating func refill() throws(ReaderError) -> Bool {
        chunk = try stream.nextChunk()
        position = 0
        return chunk.count > 0
    }

    @inline(__always)
    private func append(_ cell: String, to cells: inout [String], number: Int) throws(ReaderError) {
        if cells.count >= Self.maxCellsPerRow {
            throw .malformed(row: number, reason: "the row has more than \(Self.maxCellsPerRow) cells")
        }
        cells.append(cell)
    }

    /// Adds bytes to the field in progress, refusing to hold more than the cell limit.
    @inline(__always)
    private mutating func accumulate(_ start: UnsafePointer<UInt8>, count: Int, number: Int) throws(ReaderError) {
        if count == 0 { return }
        if pending.count + count > maxCellBytes { throw .cellTooLarge(row: number, limit: maxCellBytes) }
        pending.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
    }

    private mutating func accumulateQuote(number: Int) throws(ReaderError) {
        if pending.count + 1 > maxCellBytes { throw .cellTooLarge(row: number, limit: maxCellBytes) }
        pending.append(ASCII.quote)
    }

    /// The field in progress as a String; the byte buffer is kept for the next field.
    private mutating func takePending() -> String {
        let text = pending.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        pending.removeAll(keepingCapacity: true)
        return text
    }

    /// Index of the first delimiter, CR or LF in `base[from..<end]`, or `end`; eight bytes per step.
    @inline(__always)
    static func findSpecial(_ base: UnsafePointer<UInt8>, from: Int, end: Int, delimiter: UInt8) -> Int {
        var i = from
        let d = SWAR.broadcast(delimiter)
        let cr = SWAR.broadcast(ASCII.cr)
        let lf = SWAR.broadcast(ASCII.lf)
        while i &+ 8 <= end {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if SWAR.hasZeroByte(word ^ d) || SWAR.hasZeroByte(word ^ cr) || SWAR.hasZeroByte(word ^ lf) { break }
            i &+= 8
        }
        while i < end {
            let byte = base[i]
            if byte == delimiter || byte == ASCII.cr || byte == ASCII.lf { return i }
            i &+= 1
        }
        return end
    }
}
