#if canImport(Glibc)
import Glibc
#endif

/// Lists the files an inbox holds now: for startup, after a queue overflow, and for polling.
public enum InboxScan {
    /// Names classified `.take` with their facts; folders are left out unless named like a data
    /// file (`x.csv`: it looks like a drop, so it is refused and logged), symlinks and other
    /// non-regular entries are kept so the claim can refuse (and the caller log) them.
    /// Only `lstat` is used (no zip check), so polling stays cheap.
    ///
    /// A name that is not UTF-8 is first renamed in place to its escaped form
    /// (``PickupNames/escapedName(_:)``, `%XX` for each bad byte; a rename keeps the inode and any
    /// writer's open descriptor), so it is taken, reported and archived like any other; `renamed`
    /// receives `(old escaped name, new name)` for the log.
    public static func present(in directory: String,
                               renamed: (String, String) -> Void = { _, _ in }) throws(PickupError) -> [String: FileFacts] {
        var out: [String: FileFacts] = [:]
        for entry in try FileSystem.entries(directory) {
            var name = entry.name
            if let raw = entry.raw {
                guard let fresh = renameUndecodable(raw, escaped: entry.name, in: directory) else { continue }
                renamed(entry.name, fresh)
                name = fresh
            }
            guard PickupNames.classify(name) == .take,
                  let st = FileSystem.lstatInfo(FileSystem.join(directory, name)) else { continue }
            let facts = FileFacts(stat: st)
            if facts.kind != .directory || PickupNames.isAcceptedData(name) { out[name] = facts }
        }
        return out
    }

    /// Renames a non-UTF-8 entry to its escaped name (or a free variant); nil when it vanished.
    static func renameUndecodable(_ raw: [UInt8], escaped: String, in directory: String) -> String? {
        for n in 1...100 {
            let candidate = UniqueName.candidate(escaped, n)
            let e = FileSystem.renameRaw(in: directory, raw, to: candidate)
            if e == 0 { return candidate }
            if e != EEXIST { return nil }
        }
        return nil
    }
}
