/// Where a data file's manifest is (SPEC §3): `contacts.csv` → `contacts.batch.json`, the last
/// extension replaced. The pickup claims it by this name and the import reads it by this name.
public enum ManifestName {
    public static let suffix = ".batch.json"

    /// The manifest's name for the data file `name` (no folder).
    public static func forDataFile(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + suffix }
        return String(name[..<dot]) + suffix
    }
}
