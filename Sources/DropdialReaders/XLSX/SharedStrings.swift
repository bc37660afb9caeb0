/// The shared string table — the one table dropdial holds in memory — stored compactly: all
/// strings' UTF-8 back to back in one buffer, plus one end offset per string.
struct SharedStrings {
    private var bytes: [UInt8] = []
    /// `ends[i]` is where string i stops; it starts at `ends[i - 1]` (or 0).
    private var ends: [UInt32] = []
    /// Indexes of strings over `maxCellBytes`, stored empty; using one is a `.cellTooLarge`.
    private var oversize: Set<Int> = []

    init() {}

    /// Reads every `<si>` of the shared strings part.
    /// A string past libxml2's own 10 MB text-node cap fails the whole table: it surfaces as
    /// `.cellTooLarge` with row 0, since no sheet row is known yet.
    init(_ xml: XMLStream, maxCellBytes: Int) throws(ReaderError) {
        do throws(ReaderError) {
            try read(xml, maxCellBytes: maxCellBytes)
        } catch .cellTooLarge {
            throw .cellTooLarge(row: 0, limit: maxCellBytes)
        }
    }

    private mutating func read(_ xml: XMLStream, maxCellBytes: Int) throws(ReaderError) {
        let si = xml.intern("si")
        var item = StringItemReader(xml)
        while true {
            let type = try xml.next()
            if type == XMLNode.end { break }
            guard type == XMLNode.element, xml.named(si) else { continue }
            if !(try item.read(xml, into: &bytes, limit: maxCellBytes)) { oversize.insert(ends.count) }
            guard bytes.count <= Int(UInt32.max) else {
                throw .bomb(entry: xml.partName, reason: "shared strings exceed 4 GiB")
            }
            ends.append(UInt32(bytes.count))
        }
    }

    var count: Int { ends.count }

    /// The string at `index`: `.some(nil)` when it is over the cell size limit, nil when the
    /// index does not exist.
    func string(at index: Int) -> String?? {
        guard index >= 0, index < ends.count else { return nil }
        if oversize.contains(index) { return .some(nil) }
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<Int(ends[index])]), as: UTF8.self)
        }
    }
}
