import DropdialTestKit
import CZip
import DropdialReaders
import Foundation

/// Builds small XLSX packages in a temp folder from XML strings, with libzip, so each test
/// shows exactly the XML it feeds the reader.
struct XLSXBuilder {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    private(set) var parts: [(name: String, bytes: [UInt8])] = []

    mutating func add(_ name: String, _ xml: String) { parts.append((name, Array(xml.utf8))) }
    mutating func add(_ name: String, bytes: [UInt8]) { parts.append((name, bytes)) }

    /// A Transitional workbook whose single worksheet has `sheetData` as its rows; optional
    /// shared strings (`<si>` items), styles (full `styleSheet` body) and workbookPr attributes.
    static func workbook(rows sheetData: String, sharedStrings: [String]? = nil, styles: String? = nil,
                         workbookPr: String = "", sheetName: String = "Contacts") -> XLSXBuilder {
        var b = XLSXBuilder()
        b.add("[Content_Types].xml", contentTypes)
        b.add("_rels/.rels", rootRels())
        b.add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(main)" xmlns:r="\(rel)"><workbookPr \(workbookPr)/><sheets><sheet name="\(sheetName)" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        var rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
        if let sharedStrings {
            rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
            b.add("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <sst xmlns="\(main)" count="\(sharedStrings.count)" uniqueCount="\(sharedStrings.count)">\(sharedStrings.joined())</sst>
                """)
        }
        if let styles {
            rels.append(("rId3", "styles", "styles.xml"))
            b.add("xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="\(main)">\(styles)</styleSheet>
                """)
        }
        b.add("xl/_rels/workbook.xml.rels", workbookRels(rels))
        b.add("xl/worksheets/sheet1.xml", worksheet(sheetData))
        return b
    }

    static func worksheet(_ sheetData: String, namespace: String = main) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="\(namespace)"><sheetData>\(sheetData)</sheetData></worksheet>
        """
    }

    static func rootRels(target: String = "xl/workbook.xml",
                         type: String = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument") -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="\(pkg)"><Relationship Id="rId1" Type="\(type)" Target="\(target)"/></Relationships>
        """
    }

    /// Workbook rels from (id, type suffix, target) triples, Transitional type URIs.
    static func workbookRels(_ rels: [(String, String, String)],
                             typeBase: String = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/") -> String {
        let items = rels.map { "<Relationship Id=\"\($0.0)\" Type=\"\(typeBase)\($0.1)\" Target=\"\($0.2)\"/>" }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="\(pkg)">\(items.joined())</Relationships>
            """
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>
        """

    /// Writes the package (deflated entries) to a fresh temp file and returns its path.
    func write(name: String = "book.xlsx") -> String {
        let path = try! Scratch.folder("dropdial-xlsx").appendingPathComponent(name).path
        var err: Int32 = 0
        let za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)!
        for part in parts {
            let copy = malloc(max(part.bytes.count, 1))!
            part.bytes.withUnsafeBytes { if let base = $0.baseAddress { copy.copyMemory(from: base, byteCount: $0.count) } }
            let source = zip_source_buffer(za, copy, UInt64(part.bytes.count), 1)!
            let index = zip_file_add(za, part.name, source, UInt32(ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8))
            precondition(index >= 0, "zip_file_add \(part.name)")
            zip_set_file_compression(za, UInt64(index), ZIP_CM_DEFLATE, 0)
        }
        precondition(zip_close(za) == 0, "zip_close")
        return path
    }
}

/// Writes raw bytes to a temp file named `name`.
func writeTemp(_ bytes: [UInt8], name: String) -> String {
    let path = try! Scratch.folder("dropdial-xlsx").appendingPathComponent(name).path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

/// Every row of a package's first worksheet.
func readRows(_ path: String, limits: ReaderLimits = .default) throws(ReaderError) -> [SourceRow] {
    let source = try XLSXRowSource(path: path, limits: limits)
    var rows: [SourceRow] = []
    while let row = try source.nextRow() { rows.append(row) }
    return rows
}

/// Just the cells of every row.
func readCells(_ builder: XLSXBuilder, limits: ReaderLimits = .default) throws(ReaderError) -> [[String]] {
    try readRows(builder.write(), limits: limits).map(\.cells)
}

/// The error reading the package throws, or nil.
func readError(_ path: String, limits: ReaderLimits = .default) -> ReaderError? {
    do throws(ReaderError) {
        _ = try readRows(path, limits: limits)
        return nil
    } catch {
        return error
    }
}
