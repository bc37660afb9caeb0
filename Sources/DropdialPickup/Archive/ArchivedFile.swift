/// Where an archived file and its companions ended up.
public struct ArchivedFile: Sendable, Hashable {
    public var destination: Destination
    /// The data file's final name, e.g. `contacts (2).csv`.
    public var finalName: String
    public var dataPath: String
    public var reportPath: String
    public var errorsPath: String?
    public var workbookPath: String?
    public var manifestPath: String?
}
