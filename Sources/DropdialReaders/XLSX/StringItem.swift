/// Reads a rich-text string item — `<si>` in the shared strings, `<is>` in an inline-string
/// cell: the text of every `<t>` (plain or inside `<r>` runs) joined in order, phonetic `<rPh>`
/// runs (and `<phoneticPr>`) left out, whitespace kept exactly as stored, `_xHHHH_` decoded.
struct StringItemReader {
    private let t: XMLName
    private let rPh: XMLName
    private var raw: [UInt8] = []

    init(_ xml: XMLStream) {
        t = xml.intern("t")
        rPh = xml.intern("rPh")
    }

    /// With `xml` on the item's start element, appends its text to `out` and leaves `xml` on the
    /// item's end element. Returns false (having stopped appending) when the text would pass
    /// `limit` bytes; the item is still read to its end.
    mutating func read(_ xml: XMLStream, into out: inout [UInt8], limit: Int) throws(ReaderError) -> Bool {
        if xml.isEmptyElement { return true }
        let itemDepth = xml.depth
        let start = out.count
        var fits = true
        var inT = false
        var skipDepth: Int32 = -1  // depth of an <rPh> being skipped
        while true {
            let type = try xml.next()
            if type == XMLNode.end { throw .corrupt("\(xml.partName): string item not closed") }
            if type == XMLNode.endElement {
                let depth = xml.depth
                if depth == itemDepth { break }
                if depth == skipDepth { skipDepth = -1; continue }
                if skipDepth < 0, inT, xml.named(t) {
                    inT = false
                    if fits {
                        EscapedText.appendDecoded(raw, to: &out)
                        if out.count - start > limit { fits = false; out.removeSubrange(start...) }
                    }
                }
            } else if skipDepth >= 0 {
                continue
            } else if type == XMLNode.element {
                if xml.named(rPh) {
                    if !xml.isEmptyElement { skipDepth = xml.depth }
                } else if xml.named(t), !xml.isEmptyElement {
                    inT = true
                    raw.removeAll(keepingCapacity: true)
                }
            } else if inT, XMLNode.isText(type) {
                if fits { raw.append(contentsOf: xml.value) }
            }
        }
        return fits
    }
}
