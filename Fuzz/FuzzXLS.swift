/// libFuzzer target `xls`: the input as an `.xls` file (our OLE2 container reader, then the BIFF
/// records of the globals and the first worksheet), every row read to the end.
///
/// An input starting with the OLE2 signature is the file itself. Any other input is a bare
/// workbook stream (BIFF records), wrapped here in a minimal, valid OLE2 container (version 3,
/// 512-byte sectors, one FAT sector, the stream padded to the 4,096-byte mini-stream cutoff) so
/// mutations reach the record parser instead of dying in the container checks.
///
/// Besides crashes it checks what SPEC §4 promises of every row: row numbers within 1…65,536,
/// at most 256 cells, no cell over the cell limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = bytes.starts(with: CompoundFile.signature) ? bytes : wrapInContainer(bytes)
    let path = file.withUnsafeBufferPointer { FuzzFile.write($0.baseAddress!, $0.count, suffix: ".xls") }
    let limits = ReaderLimits(maxFileBytes: 1 << 20, maxEntryBytes: 4 << 20, maxInflateRatio: 50,
                              ratioFloorBytes: 64 << 10, maxCellBytes: 1000, maxSharedTextBytes: 1 << 20)
    do throws(ReaderError) {
        let source = try XLSRowSource(path: path, limits: limits)
        while let row = try source.nextRow() {
            precondition((1...65_536).contains(row.number), "row number \(row.number)")
            precondition(row.cells.count <= 256, "row \(row.number) has \(row.cells.count) cells")
            for cell in row.cells {
                precondition(cell.utf8.count <= limits.maxCellBytes, "row \(row.number): a cell over the limit")
            }
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// `stream` as the `Workbook` stream of a version-3 compound file: header, FAT sector 0,
/// directory sector 1, the stream from sector 2 on.
private func wrapInContainer(_ stream: [UInt8]) -> [UInt8] {
    var body = stream
    if body.count < 4096 { body += [UInt8](repeating: 0, count: 4096 - body.count) }
    let streamSectors = (body.count + 511) / 512
    guard streamSectors + 2 <= 128 else { return stream }  // one FAT sector maps 128 sectors
    body += [UInt8](repeating: 0, count: streamSectors * 512 - body.count)
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * $0) & 0xFF) } }
    var header = CompoundFile.signature + [UInt8](repeating: 0, count: 16) + le16(0x3E) + le16(3) + le16(0xFFFE)
        + le16(9) + le16(6) + [UInt8](repeating: 0, count: 10)
    header += le32(1) + le32(1) + le32(0) + le32(4096) + le32(0xFFFF_FFFE) + le32(0) + le32(0xFFFF_FFFE) + le32(0)
    header += le32(0)  // DIFAT[0]: the FAT is sector 0
    header += [UInt8](repeating: 0xFF, count: 512 - header.count)
    var fat = le32(0xFFFF_FFFD) + le32(0xFFFF_FFFE)
    for i in 0..<streamSectors { fat += le32(i == streamSectors - 1 ? 0xFFFF_FFFE : UInt32(3 + i)) }
    fat += [UInt8](repeating: 0xFF, count: 512 - fat.count)
    func entry(_ name: String, type: UInt8, child: UInt32, start: UInt32, size: Int) -> [UInt8] {
        var e: [UInt8] = []
        for unit in name.utf16 { e += le16(Int(unit)) }
        e += [0, 0]
        let nameLength = e.count
        e += [UInt8](repeating: 0, count: 64 - e.count)
        e += le16(nameLength)
        e += [type, 1]
        e += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le32(child)
        e += [UInt8](repeating: 0, count: 116 - e.count) + le32(start) + le32(UInt32(size)) + le32(0)
        return e
    }
    var directory = entry("Root Entry", type: 5, child: 1, start: 0xFFFF_FFFE, size: 0)
        + entry("Workbook", type: 2, child: 0xFFFF_FFFF, start: 2, size: body.count)
    directory += [UInt8](repeating: 0, count: 512 - directory.count)
    return header + fat + directory + body
}
