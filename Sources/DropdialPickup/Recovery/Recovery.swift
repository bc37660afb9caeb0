#if canImport(Glibc)
import Glibc
#endif

/// What a previous run left in an inbox's work folder.
public enum Leftover: Sendable, Hashable {
    /// Claimed, not archived, no archive started: import it again from scratch.
    case claimed(ClaimedFile)
    /// An archive was under way: finish it with ``Archive/resume(_:)``.
    case archiving(ArchiveIntent)
    /// A manifest claimed without its data file (a kill between the two renames):
    /// ``Recovery/putBack(_:)`` returns it to the inbox.
    case loneManifest(seq: String, originalName: String)

    /// The claim sequence number the leftover belongs to.
    public var seq: String {
        switch self {
        case .claimed(let claimed): claimed.seq
        case .archiving(let intent): intent.claimed.seq
        case .loneManifest(let seq, _): seq
        }
    }
}

/// Finds work left over by a crash or kill, so the caller can redo or finish it at startup.
public enum Recovery {
    /// Leftovers in claim order. A missing work folder means none. Only the daemon's state names
    /// (`<seq>.archive.json`…) are read as plans; an uploaded file is always a claimed name
    /// (`<seq>-<name>`), whatever it is called, so it can never pass for one. Staged reports,
    /// claim records and temp files belong to their claim and are not listed.
    public static func leftovers(in folders: InboxFolders) throws(PickupError) -> [Leftover] {
        let names: [String]
        do {
            names = try FileSystem.list(folders.work)
        } catch {
            if case let .listFolder(_, e) = error, e == ENOENT { return [] }
            throw error
        }
        var intents: [String: ArchiveIntent] = [:]   // by seq
        var received: [String: String] = [:]         // seq → name as received
        var data: [String: (seq: String, originalName: String)] = [:]
        var manifests: [String: String] = [:]        // seq → manifest original name
        let present = Set(names)
        for name in names where !name.hasPrefix(".") {
            if Self.isLegacyState(name, present: present) { continue }
            if let state = ClaimedFile.parse(stateName: name) {
                let path = FileSystem.join(folders.work, name)
                switch state.kind {
                case .intent: intents[state.seq] = try ArchiveIntent.read(path: path, seq: state.seq, folders: folders)
                case .claim: received[state.seq] = ClaimRecord.read(path: path)?.receivedName
                case .report, .errors, .workbook: break
                }
                continue
            }
            guard let parsed = ClaimedFile.parse(claimedName: name) else { continue }
            if parsed.originalName.lowercased().hasSuffix(PickupNames.manifestSuffix) {
                manifests[parsed.seq] = parsed.originalName
            } else {
                data[name] = parsed
            }
        }
        var out: [(String, Leftover)] = []
        var seqsWithData = Set<String>()
        for intent in intents.values {
            seqsWithData.insert(intent.claimed.seq)
            out.append((intent.claimed.claimedName, .archiving(intent)))
        }
        for (name, parsed) in data where intents[parsed.seq] == nil {
            seqsWithData.insert(parsed.seq)
            let manifest = manifests[parsed.seq] == PickupNames.manifestName(for: parsed.originalName)
            let size = FileSystem.lstatInfo(FileSystem.join(folders.work, name)).map { Int64($0.st_size) } ?? 0
            out.append((name, .claimed(ClaimedFile(folders: folders, seq: parsed.seq, originalName: parsed.originalName,
                                                   size: size, hasManifest: manifest, receivedName: received[parsed.seq]))))
        }
        for (seq, original) in manifests where !seqsWithData.contains(seq) {
            out.append((seq + "-" + original, .loneManifest(seq: seq, originalName: original)))
        }
        return out.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// State files an earlier version wrote beside a claim (`<seq>-NAME.archive.json`,
    /// `.report.json`, `.errors.csv`): recognised only when `<seq>-NAME` itself is in the work
    /// folder — the claim makes no other name with that sequence number, so an upload can never
    /// pass for one. They are left alone (never read as a plan, never imported); the claim they
    /// belong to is imported again or found committed, as after any crash.
    static func isLegacyState(_ name: String, present: Set<String>) -> Bool {
        for suffix in [".archive.json", PickupNames.reportSuffix, PickupNames.errorsSuffix] where name.hasSuffix(suffix) {
            let owner = String(name.dropLast(suffix.count))
            if ClaimedFile.parse(claimedName: owner) != nil, present.contains(owner) { return true }
        }
        return false
    }

    /// Returns a lone manifest to the inbox under its original name. If a new manifest with that
    /// name has arrived meanwhile, the newer one wins and the old one is archived to `failed/`
    /// (never deleted). Returns the path it ended at.
    @discardableResult
    public static func putBack(_ leftover: Leftover, folders: InboxFolders) throws(PickupError) -> String? {
        guard case let .loneManifest(seq, original) = leftover else { return nil }
        let source = FileSystem.join(folders.work, seq + "-" + original)
        let target = FileSystem.join(folders.inbox, original)
        let e = FileSystem.renameNoReplace(source, target)
        if e == 0 || e == ENOENT { return target }
        guard e == EEXIST else { throw .move(from: source, to: target, errno: e) }
        try folders.prepare(folders.failed)
        let free = try UniqueName.firstFree(original, in: folders.failed).name
        let archived = FileSystem.join(folders.failed, free)
        let e2 = FileSystem.renameNoReplace(source, archived)
        guard e2 == 0 else { throw .move(from: source, to: archived, errno: e2) }
        return archived
    }
}
