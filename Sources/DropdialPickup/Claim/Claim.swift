#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What happened when taking a name from the inbox.
public enum ClaimOutcome: Sendable, Hashable {
    /// Renamed into the work folder; the daemon owns it now.
    case claimed(ClaimedFile)
    /// It vanished first (removed, or taken by someone else): nothing to do, not an error.
    case gone
    /// Left in place: the caller logs `reason` once. Symlinks are never followed or moved, so a
    /// link to a file outside the inbox cannot be imported or archived.
    case notTaken(name: String, reason: NotTakenReason)
}

/// Why an inbox entry is left where it is.
public enum NotTakenReason: String, Sendable, Hashable {
    case ignoredName = "ignored name (in flight or the daemon's own)"
    case symlink = "a symbolic link (never followed; replace it with the file itself)"
    case directory = "a folder (only files are imported)"
    case special = "not a regular file"
}

/// Claims inbox files by atomic rename into the work folder, before anything reads them.
public enum Claim {
    /// Takes `name` (and its manifest `stem.batch.json`, if present) from the inbox.
    ///
    /// Order: the manifest is moved first, then the data file; if the data file has gone, the
    /// manifest is put back. So a crash leaves either nothing claimed, a lone claimed manifest
    /// (``Recovery`` puts it back), or both. Renames never replace (`RENAME_NOREPLACE`). The
    /// sequence number is reserved in `ledger` before the first rename.
    public static func take(_ name: String, from folders: InboxFolders,
                            ledger: ClaimLedger = .local) throws(PickupError) -> ClaimOutcome {
        guard PickupNames.classify(name) == .take, PickupNames.isSingleComponent(name) else {
            return .notTaken(name: name, reason: .ignoredName)
        }
        let source = FileSystem.join(folders.inbox, name)
        guard let st = FileSystem.lstatInfo(source) else {
            let e = errno
            if e == ENOENT { return .gone }
            throw .inspect(path: source, errno: e)
        }
        if let reason = refusal(FileFacts(stat: st).kind) { return .notTaken(name: name, reason: reason) }
        try folders.prepare(folders.work)

        // A name too long for its report and claim names is shortened; the claim record keeps it.
        let safe = PickupNames.shortened(name)
        let manifestName = PickupNames.manifestName(for: name)
        let manifestSource = FileSystem.join(folders.inbox, manifestName)
        var seq = Sequence.now()
        for _ in 0..<1000 {
            defer { seq = Sequence.after(seq) }
            let dataTarget = FileSystem.join(folders.work, seq + "-" + safe)
            let manifestTarget = FileSystem.join(folders.work, seq + "-" + PickupNames.manifestName(for: safe))
            if FileSystem.lstatInfo(dataTarget) != nil || FileSystem.lstatInfo(manifestTarget) != nil { continue }
            let probe = ClaimedFile(folders: folders, seq: seq, originalName: safe, size: 0, hasManifest: false)
            if ClaimedFile.StateFile.allCases.contains(where: { FileSystem.lstatInfo(probe.statePath($0)) != nil }) { continue }
            if ledger.reserve(seq) == false { continue }
            if safe != name {
                try FileSystem.writeAtomically(ClaimRecord(receivedName: name).encoded(), to: probe.statePath(.claim))
            }

            // Whatever holds the manifest's name is claimed with the file (a symlink, FIFO or
            // folder too, moved without being followed): the import then rejects the file
            // (`manifest_invalid`) instead of dialing it with the inbox defaults.
            var hasManifest = false
            if FileSystem.lstatInfo(manifestSource) != nil {
                let e = FileSystem.renameNoReplace(manifestSource, manifestTarget)
                switch e {
                case 0: hasManifest = true
                case ENOENT: break
                case EEXIST: continue
                default: throw .move(from: manifestSource, to: manifestTarget, errno: e)
                }
            }
            let e = FileSystem.renameNoReplace(source, dataTarget)
            if e != 0 {
                if hasManifest { _ = FileSystem.renameNoReplace(manifestTarget, manifestSource) }
                unlink(probe.statePath(.claim))
                if e == ENOENT { return .gone }
                if e == EEXIST { continue }
                throw .move(from: source, to: dataTarget, errno: e)
            }
            // Between lstat and rename the name may have been swapped for a symlink: put it back.
            guard let after = FileSystem.lstatInfo(dataTarget) else { return .gone }
            if let reason = refusal(FileFacts(stat: after).kind) {
                _ = FileSystem.renameNoReplace(dataTarget, source)
                if hasManifest { _ = FileSystem.renameNoReplace(manifestTarget, manifestSource) }
                unlink(probe.statePath(.claim))
                return .notTaken(name: name, reason: reason)
            }
            FileSystem.syncFolder(folders.work)
            return .claimed(ClaimedFile(folders: folders, seq: seq, originalName: safe,
                                        size: Int64(after.st_size), hasManifest: hasManifest,
                                        receivedName: safe == name ? nil : name))
        }
        throw .noFreeName(folder: folders.work, name: name)
    }

    static func refusal(_ kind: FileFacts.Kind) -> NotTakenReason? {
        switch kind {
        case .regular: return nil
        case .symlink: return .symlink
        case .directory: return .directory
        case .other: return .special
        }
    }

    /// Claim sequence numbers: 16 digits, microseconds of the wall clock.
    enum Sequence {
        static func now() -> String {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return format(UInt64(ts.tv_sec) &* 1_000_000 &+ UInt64(ts.tv_nsec / 1000))
        }

        static func after(_ seq: String) -> String { format((UInt64(seq) ?? 0) &+ 1) }

        static func format(_ n: UInt64) -> String {
            let digits = String(n % 10_000_000_000_000_000)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
    }
}

/// `<seq>.claim.json`: the name a file arrived with, when the claim had to shorten it.
struct ClaimRecord: Codable {
    var receivedName: String

    func encoded() -> Data { (try? JSONEncoder().encode(self)) ?? Data() }

    static func read(path: String) -> ClaimRecord? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 4096 else { return nil }
        return try? JSONDecoder().decode(ClaimRecord.self, from: data)
    }
}
