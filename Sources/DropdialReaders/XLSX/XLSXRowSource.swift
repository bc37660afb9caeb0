/// Reads the first worksheet of an XLSX workbook as a stream of rows (SPEC §4).
///
/// The worksheet is found through the relationships — `_rels/.rels` → officeDocument →
/// its rels → the first `<sheet>` in workbook order whose relationship is a worksheet
/// (chartsheets, dialog and macro sheets skipped) — so part names, paths, letter case and
/// Strict/Transitional namespaces do not matter. Only the shared strings and the styles'
/// date flags are held in memory; the worksheet XML is parsed as it inflates.
///
/// Rows come in file order with their sheet row numbers. Rows missing between written rows (or
/// before the first) come as `[]` rows; empty rows at the end of the sheet are not yielded.
public final class XLSXRowSource: RowSource {
    public let format: FileFormat = .xlsx
    /// The worksheet's name as `workbook.xml` gives it.
    public let sheetName: String?

    private let cells: SheetCellStream
    private var lastYielded = 0
    private var held: SourceRow?

    public init(path: String, limits: ReaderLimits) throws(ReaderError) {
        let archive = try ZipArchive(path: path, limits: limits)

        let packageRels = try PackageRelationships.read(for: "", in: archive)
        var workbookPart = packageRels.first { $0.kind == "officedocument" }?.target ?? ""
        if archive.index(ofPart: workbookPart) == nil { workbookPart = "xl/workbook.xml" }
        guard let workbookXML = try archive.xml(part: workbookPart) else {
            throw .corrupt("no workbook part: not an XLSX workbook")
        }
        let workbook = try Workbook(workbookXML)

        let rels = try PackageRelationships.read(for: workbookPart, in: archive)
        var byID: [String: Relationship] = [:]
        for rel in rels where byID[rel.id] == nil { byID[rel.id] = rel }
        guard let sheet = workbook.sheets.first(where: { byID[$0.relationshipID]?.kind == "worksheet" }),
              let sheetPart = byID[sheet.relationshipID]?.target else {
            throw .noReadableSheet(workbook.sheets.isEmpty
                ? "the workbook lists no sheets"
                : "none of its \(workbook.sheets.count) sheets is a worksheet")
        }
        guard let sheetIndex = archive.index(ofPart: sheetPart) else {
            throw .corrupt("worksheet part \(sheetPart) is missing")
        }
        let sheetEntry = try archive.open(index: sheetIndex, name: sheetPart)

        let folder = PartName.resolve(".", from: workbookPart)
        func part(_ kind: String, fallback: String) -> String {
            rels.first { $0.kind == kind }?.target ?? (folder.isEmpty ? fallback : folder + "/" + fallback)
        }
        var strings = SharedStrings()
        if let xml = try archive.xml(part: part("sharedstrings", fallback: "sharedStrings.xml")) {
            strings = try SharedStrings(xml, maxCellBytes: limits.maxCellBytes)
        }
        var formats = NumberFormats()
        if let xml = try archive.xml(part: part("styles", fallback: "styles.xml")) {
            formats = try NumberFormats(xml)
        }

        sheetName = sheet.name
        cells = SheetCellStream(source: sheetEntry, strings: strings, formats: formats,
                                date1904: workbook.date1904, maxCellBytes: limits.maxCellBytes,
                                maxSharedTextBytes: limits.maxSharedTextBytes)
    }

    public func nextRow() throws(ReaderError) -> SourceRow? {
        if held == nil {
            // Empty rows are held back until a non-empty row shows they are not trailing.
            repeat {
                guard let row = try cells.nextRow() else { return nil }
                if !row.cells.isEmpty { held = row }
            } while held == nil
        }
        let row = held!
        if lastYielded + 1 < row.number {
            lastYielded += 1
            return SourceRow(number: lastYielded, cells: [])
        }
        held = nil
        lastYielded = max(lastYielded, row.number)
        return row
    }
}
