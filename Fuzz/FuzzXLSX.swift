internal import CZip

/// libFuzzer target `xlsx`: the input as an `.xlsx` file (libzip, then libxml2 on the package
/// parts and the streamed worksheet), every row read to the end.
///
/// An input starting `PK` is the file itself. Any other input is a list of parts,
/// `NAME\0CONTENT\0NAME\0CONTENT…`, zipped here (stored, correct CRCs) so mutations of the XML
/// reach the parsers instead of dying in inflate or the CRC check.
///
/// Besides crashes it checks what the README promises of every row: row numbers and widths stay
/// within Excel's limits (row 1,048,576, column XFD) and no cell is over the cell limit. The
/// limits are scaled down so fuzz-sized inputs reach `cell_too_large` and the zip-bomb checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path: String
    if size >= 2, data[0] == 0x50, data[1] == 0x4B {
        path = FuzzFile.write(data, size, suffix: ".xlsx")
    } else {
        guard let zipped = zipParts(data, size) else { return 0 }
        path = zipped
    }
    let limits = ReaderLimits(maxFileBytes: 1 << 20, maxEntryBytes: 4 << 20, maxInflateRatio: 50,
                              ratioFloorBytes: 64 << 10, maxCellBytes: 1000)
    do throws(ReaderError) {
        let source = try XLSXRowSource(path: path, limits: limits)
        while let row = try source.nextRow() {
            precondition((1...1_048_576).contains(row.number), "row number \(row.number)")
            precondition(row.cells.count <= 16_384, "row \(row.number) has \(row.cells.count) cells")
            for cell in row.cells {
                precondition(cell.utf8.count <= limits.maxCellBytes, "row \(row.number): a cell over the limit")
            }
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// Writes `NAME\0CONTENT\0…` as a stored zip with libzip; nil when libzip refuses it (no parts,
/// an empty or duplicate name), which is not the reader's business.
private func zipParts(_ data: UnsafePointer<UInt8>, _ size: Int) -> String? {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let fields = bytes.split(separator: 0, omittingEmptySubsequences: false)
    guard fields.count >= 2 else { return nil }
    let path = FuzzFile.write(data, 0, suffix: ".xlsx")
    var err: Int32 = 0
    guard let za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err) else { return nil }
    var ok = true
    var i = 0
    while ok, i + 1 < fields.count {
        let name = String(decoding: fields[i], as: UTF8.self)
        let content = fields[i + 1]
        i += 2
        // libzip copies the bytes at zip_close, so the buffer must stay valid until then; it is
        // the fuzzer's input, which it is.
        let start = content.isEmpty ? nil : UnsafeRawPointer(bytes.baseAddress! + content.startIndex)
        guard let source = zip_source_buffer(za, start, UInt64(content.count), 0) else { ok = false; break }
        let index = zip_file_add(za, name, source, UInt32(ZIP_FL_ENC_UTF_8))
        if index < 0 {
            zip_source_free(source)
            ok = false
            break
        }
        zip_set_file_compression(za, UInt64(index), ZIP_CM_STORE, 0)
    }
    if !ok {
        zip_discard(za)
        return nil
    }
    return zip_close(za) == 0 ? path : nil
}
