/// Placeholder until the XLSX reader lands.
public final class XLSXRowSource: RowSource {
    public let format: FileFormat = .xlsx
    public var sheetName: String? { nil }
    public init(path: String, limits: ReaderLimits) throws(ReaderError) {
        throw .corrupt("XLSX reader not implemented")
    }
    public func nextRow() throws(ReaderError) -> SourceRow? { nil }
}
