/// Placeholder until the XLS reader lands.
public final class XLSRowSource: RowSource {
    public let format: FileFormat = .xls
    public var sheetName: String? { nil }
    public init(path: String, limits: ReaderLimits) throws(ReaderError) {
        throw .corrupt("XLS reader not implemented")
    }
    public func nextRow() throws(ReaderError) -> SourceRow? { nil }
}
