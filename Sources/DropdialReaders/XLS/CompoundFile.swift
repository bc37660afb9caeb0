/// An OLE2 compound file ([MS-CFB]) held in memory: the header, the FAT (through the header's 109
/// DIFAT slots and the DIFAT chain), the directory, the miniFAT and the mini stream. It hands out
/// one stream's bytes by name from the root storage.
///
/// Hardened against hostile files: every chain is walked with a visited-sector bitset (a loop is
/// an error, not a hang), every sector number is checked against the file, no count the file
/// declares is trusted for an allocation, and a stream is never longer than its chain. Every
/// sector read lies wholly inside the file. Streams under 4,096 bytes live in the mini stream
/// (small workbooks), which is read through the miniFAT.
struct CompoundFile {
    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let freeSector: UInt32 = 0xFFFF_FFFF
    private static let noStream: UInt32 = 0xFFFF_FFFF

    struct Entry {
        var name: String
        var type: UInt8
        var left: UInt32, right: UInt32, child: UInt32
        var start: UInt32
        var size: UInt64
    }

    private let file: [UInt8]
    private let sectorShift: Int
    private let sectorCount: Int
    private var fat: [UInt32] = []
    private var miniFAT: [UInt32] = []
    private var miniStream: [UInt8] = []
    private let miniCutoff: UInt64
    private(set) var entries: [Entry] = []

    init(_ file: [UInt8]) throws(ReaderError) {
        self.file = file
        guard file.count >= 512, file.starts(with: Self.signature) else {
            throw .corrupt("an OLE2 container shorter than its 512-byte header")
        }
        let major = Self.u16(file, 26)
        let shift = Int(Self.u16(file, 30))
        guard Self.u16(file, 28) == 0xFFFE, (major == 3 && shift == 9) || (major == 4 && shift == 12) else {
            throw .corrupt("an OLE2 container with a bad header (version \(major), sector size 2^\(shift))")
        }
        guard Self.u16(file, 32) == 6 else { throw .corrupt("an OLE2 container with a bad mini-sector size") }
        sectorShift = shift
        sectorCount = (file.count - 512) >> shift  // whole sectors only: a file cut short is corrupt
        miniCutoff = 4096  // fixed by [MS-CFB]; the header field is not trusted
        fat = try readFAT()
        let directory = try chain(from: Self.u32(file, 48), what: "directory")
        entries = Self.parseDirectory(directory, major: major)
        guard let root = entries.first, root.type == 5 else {
            throw .corrupt("an OLE2 container without a root directory entry")
        }
        let miniFATBytes = try chain(from: Self.u32(file, 60), what: "mini allocation table", allowEmpty: true)
        miniFAT = Self.words(miniFATBytes)
        if root.start != Self.endOfChain, root.size > 0 {
            miniStream = try chain(from: root.start, what: "mini stream", length: root.size)
        }
    }

    /// The bytes of the first stream directly in the root storage whose name, ignoring case, is
    /// one of `names` (in the order given); nil when there is none.
    func stream(named names: [String]) throws(ReaderError) -> (name: String, bytes: [UInt8])? {
        let top = rootChildren()
        for wanted in names {
            let lowered = wanted.lowercased()
            guard let entry = top.first(where: { $0.type == 2 && $0.name.lowercased() == lowered }) else { continue }
            if entry.size < miniCutoff {
                return (entry.name, try miniChain(from: entry.start, length: entry.size))
            }
            return (entry.name, try chain(from: entry.start, what: "\(entry.name) stream", length: entry.size))
        }
        return nil
    }

    /// Whether the root storage holds an entry with this name (e.g. `EncryptedPackage`).
    func hasEntry(named name: String) -> Bool {
        rootChildren().contains { $0.name.lowercased() == name.lowercased() }
    }

    /// The root storage's direct children: the red-black tree under the root's child, walked with
    /// a visited set so a cycle ends the walk.
    private func rootChildren() -> [Entry] {
        guard let root = entries.first else { return [] }
        var result: [Entry] = []
        var seen = [Bool](repeating: false, count: entries.count)
        var stack = [root.child]
        while let id = stack.popLast() {
            guard id != Self.noStream, Int(id) < entries.count, !seen[Int(id)] else { continue }
            seen[Int(id)] = true
            let entry = entries[Int(id)]
            result.append(entry)
            stack.append(entry.left)
            stack.append(entry.right)
        }
        return result
    }

    // MARK: allocation tables

    private func readFAT() throws(ReaderError) -> [UInt32] {
        var fatSectors: [UInt32] = []
        for slot in 0..<109 {
            let id = Self.u32(file, 76 + 4 * slot)
            if id <= 0xFFFF_FFFA { fatSectors.append(id) }
        }
        var difat = Self.u32(file, 68)
        var visited = SectorSet(count: sectorCount)
        let perSector = (1 << sectorShift) / 4 - 1
        while difat != Self.endOfChain && difat != Self.freeSector {
            guard Int(difat) < sectorCount else {
                throw .corrupt("an OLE2 container whose DIFAT chain points past the end of the file (sector \(difat))")
            }
            guard visited.insert(Int(difat)) else { throw .corrupt("an OLE2 container whose DIFAT chain loops") }
            let base = offset(of: difat)
            for i in 0..<perSector {
                let id = sectorWord(base, i)
                if id <= 0xFFFF_FFFA { fatSectors.append(id) }
            }
            difat = sectorWord(base, perSector)
        }
        guard !fatSectors.isEmpty else { throw .corrupt("an OLE2 container without an allocation table") }
        var table: [UInt32] = []
        table.reserveCapacity(min(fatSectors.count, sectorCount) << (sectorShift - 2))
        var seen = SectorSet(count: sectorCount)
        for id in fatSectors {
            guard Int(id) < sectorCount else {
                throw .corrupt("an OLE2 container whose allocation table sector \(id) is past the end of the file")
            }
            guard seen.insert(Int(id)) else { throw .corrupt("an OLE2 container that lists an allocation table sector twice") }
            let base = offset(of: id)
            for i in 0..<((1 << sectorShift) / 4) { table.append(sectorWord(base, i)) }
        }
        return table
    }

    /// The bytes of the regular-sector chain starting at `start`, cut to `length` when given.
    private func chain(from start: UInt32, what: String, length: UInt64? = nil, allowEmpty: Bool = false)
        throws(ReaderError) -> [UInt8] {
        let size = 1 << sectorShift
        if let length, length > UInt64(sectorCount) * UInt64(size) {
            throw .corrupt("an OLE2 container whose \(what) claims \(length) bytes, more than the whole file holds")
        }
        var bytes: [UInt8] = []
        if let length { bytes.reserveCapacity(Int(length)) }
        var visited = SectorSet(count: sectorCount)
        var sector = start
        while sector != Self.endOfChain {
            if sector == Self.freeSector, allowEmpty, bytes.isEmpty { break }
            guard Int(sector) < sectorCount, Int(sector) < fat.count else {
                throw .corrupt("an OLE2 container whose \(what) chain points outside the file (sector \(sector))")
            }
            guard visited.insert(Int(sector)) else { throw .corrupt("an OLE2 container whose \(what) chain loops") }
            let base = offset(of: sector)
            bytes.append(contentsOf: file[base..<(base + size)])
            if let length, UInt64(bytes.count) >= length { break }
            sector = fat[Int(sector)]
        }
        if let length {
            guard UInt64(bytes.count) >= length else {
                throw .corrupt("an OLE2 container whose \(what) is \(length) bytes but its chain holds \(bytes.count)")
            }
            bytes.removeLast(bytes.count - Int(length))
        }
        return bytes
    }

    private func miniChain(from start: UInt32, length: UInt64) throws(ReaderError) -> [UInt8] {
        let miniCount = min(miniFAT.count, miniStream.count / 64)
        guard length <= UInt64(miniCount) * 64 else {
            throw .corrupt("an OLE2 container whose small stream claims \(length) bytes, more than its mini stream holds")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(length))
        var visited = SectorSet(count: miniCount)
        var sector = start
        while UInt64(bytes.count) < length {
            guard Int(sector) < miniCount else {
                throw .corrupt("an OLE2 container whose mini-sector chain points outside the mini stream (sector \(sector))")
            }
            guard visited.insert(Int(sector)) else { throw .corrupt("an OLE2 container whose mini-sector chain loops") }
            let base = Int(sector) * 64
            bytes.append(contentsOf: miniStream[base..<base + 64])
            sector = miniFAT[Int(sector)]
        }
        bytes.removeLast(bytes.count - Int(length))
        return bytes
    }

    // MARK: bytes

    private func offset(of sector: UInt32) -> Int { 512 + (Int(sector) << sectorShift) }

    /// The `index`th little-endian word of the (whole, in-file) sector at `base`.
    private func sectorWord(_ base: Int, _ index: Int) -> UInt32 { Self.u32(file, base + 4 * index) }

    private static func parseDirectory(_ bytes: [UInt8], major: UInt16) -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(bytes.count / 128)
        var at = 0
        while at + 128 <= bytes.count {
            let nameBytes = min(Int(u16(bytes, at + 64)), 64)
            var units: [UInt16] = []
            var i = 0
            while i + 1 < nameBytes {
                let unit = u16(bytes, at + i)
                if unit == 0 { break }
                units.append(unit)
                i += 2
            }
            var size = UInt64(u32(bytes, at + 120))
            if major == 4 { size |= UInt64(u32(bytes, at + 124)) << 32 }
            entries.append(Entry(
                name: String(decoding: units, as: UTF16.self), type: bytes[at + 66],
                left: u32(bytes, at + 68), right: u32(bytes, at + 72), child: u32(bytes, at + 76),
                start: u32(bytes, at + 116), size: size))
            at += 128
        }
        return entries
    }

    private static func words(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count - 3, by: 4).map { u32(bytes, $0) }
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}

/// A fixed-size bitset of sector numbers, for loop detection.
struct SectorSet {
    private var bits: [UInt64]

    init(count: Int) { bits = [UInt64](repeating: 0, count: (max(count, 0) + 63) / 64) }

    /// Adds `sector`; false when it was already there.
    mutating func insert(_ sector: Int) -> Bool {
        let word = sector >> 6, bit = UInt64(1) << UInt64(sector & 63)
        guard word < bits.count else { return false }
        if bits[word] & bit != 0 { return false }
        bits[word] |= bit
        return true
    }
}
