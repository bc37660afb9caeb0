/// Lists the files an inbox holds now: for startup, after a queue overflow, and for polling.
public enum InboxScan {
    /// Names classified `.take` with their facts; folders are left out unless named like a data
    /// file (`x.csv`: it looks like a drop, so it is refused and logged), symlinks and other
    /// non-regular entries are kept so the claim can refuse (and the caller log) them.
    /// Only `lstat` is used (no zip check), so polling stays cheap.
    public static func present(in directory: String) throws(PickupError) -> [String: FileFacts] {
        var out: [String: FileFacts] = [:]
        for name in try FileSystem.list(directory) where PickupNames.classify(name) == .take {
            guard let st = FileSystem.lstatInfo(FileSystem.join(directory, name)) else { continue }
            let facts = FileFacts(stat: st)
            if facts.kind != .directory || PickupNames.isAcceptedData(name) { out[name] = facts }
        }
        return out
    }
}
