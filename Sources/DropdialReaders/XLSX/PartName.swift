/// OPC part-name arithmetic: where a relationship target points and where a part's `.rels` lives.
/// Part names are kept without the leading `/`; lookups in `ZipArchive` ignore letter case.
enum PartName {
    /// The relationships part of `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`;
    /// the package itself (`""`) → `_rels/.rels`.
    static func relationships(of part: String) -> String {
        let (folder, file) = split(part)
        return (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
    }

    /// Resolves a relationship `target` found in `source`'s rels: absolute targets (`/xl/...`)
    /// from the package root, others from `source`'s folder, with `.` and `..` applied.
    static func resolve(_ target: String, from source: String) -> String {
        var t = Substring(target.map { $0 == "\\" ? "/" : $0 })
        if let cut = t.firstIndex(where: { $0 == "#" || $0 == "?" }) { t = t[..<cut] }
        var segments: [Substring]
        if t.hasPrefix("/") {
            segments = []
        } else {
            let folder = split(source).folder
            segments = folder.isEmpty ? [] : folder.split(separator: "/")
        }
        for segment in t.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    /// `%XX` escapes decoded (targets are URIs; zip entry names usually are not escaped).
    static func percentDecoded(_ name: String) -> String? {
        guard name.contains("%") else { return nil }
        var out: [UInt8] = []
        let b = Array(name.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }

    private static func split(_ part: String) -> (folder: String, file: String) {
        let trimmed = part.hasPrefix("/") ? String(part.dropFirst()) : part
        guard let slash = trimmed.lastIndex(of: "/") else { return ("", trimmed) }
        return (String(trimmed[..<slash]), String(trimmed[trimmed.index(after: slash)...]))
    }
}

extension ZipArchive {
    /// The entry index for a resolved part name, trying the percent-decoded form as well.
    func index(ofPart name: String) -> UInt64? {
        if let i = index(of: name) { return i }
        return PartName.percentDecoded(name).flatMap { index(of: $0) }
    }

    /// Opens a part as an XML stream, or nil when the package has no such part.
    func xml(part name: String) throws(ReaderError) -> XMLStream? {
        guard let i = index(ofPart: name) else { return nil }
        return try XMLStream(source: open(index: i, name: name))
    }
}
