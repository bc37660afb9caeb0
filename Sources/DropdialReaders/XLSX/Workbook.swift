#if canImport(Glibc)
import Glibc
#endif

/// What dropdial needs from `workbook.xml`: the date system and the sheets in workbook order.
struct Workbook {
    struct Sheet {
        var name: String
        var relationshipID: String
    }

    var date1904 = false
    var sheets: [Sheet] = []

    /// Reads `<workbookPr date1904>` and the `<sheet name r:id>` list (stopping after `</sheets>`).
    /// The `r:id` attribute is recognised by local name `id` in any namespace ending in
    /// `relationships`, so Strict and Transitional both work.
    init(_ xml: XMLStream) throws(ReaderError) {
        let workbookPr = xml.intern("workbookPr")
        let sheet = xml.intern("sheet")
        let sheetsName = xml.intern("sheets")
        while true {
            let type = try xml.next()
            if type == XMLNode.end { break }
            if type == XMLNode.endElement, xml.named(sheetsName) { break }
            guard type == XMLNode.element else { continue }
            if xml.named(workbookPr) {
                try xml.forEachAttribute { name, value, _ in
                    if strcmp(name, "date1904") == 0 { date1904 = value.equals("1") || value.equals("true") }
                }
            } else if xml.named(sheet) {
                var entry = Sheet(name: "", relationshipID: "")
                try xml.forEachAttribute { name, value, namespace in
                    if strcmp(name, "name") == 0 {
                        entry.name = String(decoding: value, as: UTF8.self)
                    } else if strcmp(name, "id") == 0, let namespace,
                              String(cString: namespace).hasSuffix("relationships") {
                        entry.relationshipID = String(decoding: value, as: UTF8.self)
                    }
                }
                sheets.append(entry)
            }
        }
    }
}
