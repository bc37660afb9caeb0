/// From `styles.xml`, the one thing rendering needs: for each cell format (`<cellXfs>/<xf>`,
/// addressed by a cell's `s` attribute) whether its number format is a date, a time or neither.
struct NumberFormats {
    private var kinds: [NumberFormatKind] = []

    init() {}

    /// Reads `<numFmts>` (custom codes by id) and `<cellXfs>` (each `xf`'s `numFmtId`).
    /// A format is a date/time when its built-in id is one, or its custom code has date tokens.
    init(_ xml: XMLStream) throws(ReaderError) {
        let numFmt = xml.intern("numFmt")
        let cellXfs = xml.intern("cellXfs")
        let xf = xml.intern("xf")
        var custom: [Int: NumberFormatKind] = [:]
        var xfIDs: [Int] = []
        var xfDepth: Int32 = -1
        while true {
            let type = try xml.next()
            if type == XMLNode.end { break }
            if type == XMLNode.endElement, xml.named(cellXfs) { xfDepth = -1; continue }
            guard type == XMLNode.element else { continue }
            if xml.named(numFmt) {
                var id: Int?
                var code = ""
                try xml.forEachAttribute { name, value, _ in
                    switch String(cString: name) {
                    case "numFmtId": id = Int(String(decoding: value, as: UTF8.self))
                    case "formatCode": code = String(decoding: value, as: UTF8.self)
                    default: break
                    }
                }
                if let id { custom[id] = NumberFormatKind(code: code) }
            } else if xml.named(cellXfs) {
                if !xml.isEmptyElement { xfDepth = xml.depth + 1 }
            } else if xml.depth == xfDepth, xml.named(xf) {
                var id = 0
                try xml.forEachAttribute { name, value, _ in
                    if String(cString: name) == "numFmtId" { id = Int(String(decoding: value, as: UTF8.self)) ?? 0 }
                }
                xfIDs.append(id)
            }
        }
        kinds = xfIDs.map { id in
            let builtin = NumberFormatKind(builtinID: id)
            if let code = custom[id], code != .number { return code }
            return builtin
        }
    }

    /// The kind of the cell format at `styleIndex`; unknown indexes are plain numbers.
    @inline(__always)
    func kind(_ styleIndex: Int) -> NumberFormatKind {
        styleIndex >= 0 && styleIndex < kinds.count ? kinds[styleIndex] : .number
    }
}
