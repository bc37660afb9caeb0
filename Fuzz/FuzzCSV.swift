/// libFuzzer target `csv`: the input bytes as a delimited-text file through the whole CSV row
/// source (encoding detection, delimiter detection, tokenizer), read to the end.
///
/// Each input is read twice, in one chunk (64 KiB, past -max_len) and in tiny ones (1–7 bytes),
/// and the two readings must agree row for row and error for error: chunk boundaries must never
/// show. (The normal 512 KiB chunk would only make every run allocate more under ASan.)
/// Odd-length inputs are named `.tsv` so the tab preference is fuzzed too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = FuzzFile.write(data, size, suffix: size % 2 == 0 ? ".csv" : ".tsv")
    let whole = CSVReading(path: path, chunkSize: 64 * 1024)
    let small = CSVReading(path: path, chunkSize: 1 + size % 7)
    if whole != small {
        fatalError("chunk size changed the reading:\n\(whole)\nvs chunk \(1 + size % 7):\n\(small)")
    }
    return 0
}

/// Everything a CSV reader yields for one file: its rows, then the error that ended it, if any.
struct CSVReading: Equatable {
    var encoding: TextEncoding?
    var delimiter: UInt8?
    var rows: [SourceRow] = []
    var error: ReaderError?

    /// A small cell limit so `cell_too_large` is reachable with fuzz-sized inputs.
    static let limits = ReaderLimits(
        maxFileBytes: ReaderLimits.default.maxFileBytes, maxEntryBytes: ReaderLimits.default.maxEntryBytes,
        maxInflateRatio: ReaderLimits.default.maxInflateRatio, ratioFloorBytes: ReaderLimits.default.ratioFloorBytes,
        maxCellBytes: 1000)

    init(path: String, chunkSize: Int) {
        do throws(ReaderError) {
            let source = try CSVRowSource(path: path, limits: Self.limits, chunkSize: chunkSize)
            encoding = source.encoding
            delimiter = source.delimiter
            while let row = try source.nextRow() { rows.append(row) }
            // After the end (or an error) the source must stay ended.
            let after = try source.nextRow()
            precondition(after == nil, "a row after the end")
        } catch {
            self.error = error
        }
    }
}
