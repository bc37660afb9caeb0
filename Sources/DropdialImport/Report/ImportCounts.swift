/// The counts an import reports and stores with its batch (SPEC §5).
public struct ImportCounts: Sendable, Equatable, Codable {
    public var rows = 0
    public var imported = 0
    public var invalid = 0
    public var duplicates = 0
    public var suppressed = 0

    public init() {}
}
