/// Placeholder until the CSV reader lands.
public final class CSVRowSource: RowSource {
    public let format: FileFormat = .csv
    public var sheetName: String? { nil }
    public init(path: String, limits: ReaderLimits) throws(ReaderError) {
        throw .corrupt("CSV reader not implemented")
    }
    public func nextRow() throws(ReaderError) -> SourceRow? { nil }
}
