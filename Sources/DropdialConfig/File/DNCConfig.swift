/// `[dnc]`: do-not-call files kept in the database's list, reloaded when they change.
public struct DNCConfig: Sendable, Hashable {
    /// CSV, XLSX, XLS or plain-text files of numbers, one per row.
    public var files: [String]
    /// Region for numbers in the files written without a country code; nil: the first inbox's.
    public var region: String?
    /// How often the daemon looks for a changed file.
    public var checkSeconds: Double

    public init(files: [String] = [], region: String? = nil, checkSeconds: Double = 2) {
        self.files = files
        self.region = region
        self.checkSeconds = checkSeconds
    }

    func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        if let region, region.count != 2 || region.uppercased() != region {
            out.append(("region", "\"\(region)\" is not a two-letter ISO region code such as \"US\""))
        }
        if checkSeconds <= 0 { out.append(("check_seconds", "must be more than 0")) }
        if files.contains(where: \.isEmpty) { out.append(("files", "a file name is empty")) }
        return out
    }
}

extension DNCConfig: Decodable {
    enum Key: String, CodingKey {
        case files, region, check_seconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        files = try c.decodeIfPresent([String].self, forKey: .files) ?? []
        region = try c.decodeIfPresent(String.self, forKey: .region)
        checkSeconds = try c.decodeIfPresent(Number.self, forKey: .check_seconds)?.value ?? 2
    }
}
