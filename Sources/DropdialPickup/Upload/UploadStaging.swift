#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An HTTP upload being written: a private file in the inbox's work folder, open for writing.
///
/// Its name is `.upload-<seq>-<random>`: a dot name, so ``Recovery`` never takes it for a claim,
/// and the next start removes it (a crash during an upload leaves no file behind, SPEC §8).
public struct StagedUpload: Sendable, Hashable {
    public let folders: InboxFolders
    /// `.upload-…`, in ``InboxFolders/work``.
    public let name: String
    /// Open for writing (mode 0600), until ``UploadStaging/adopt(_:clientName:manifest:)`` or
    /// ``UploadStaging/discard(_:)`` closes it.
    public let fd: Int32

    public var path: String { FileSystem.join(folders.work, name) }
}

/// Stages uploads in an inbox's work folder and hands finished ones to the drop pipeline as a
/// claimed file, exactly as if the file had been dropped and claimed.
public enum UploadStaging {
    static let prefix = ".upload-"

    /// A new private file in the work folder.
    public static func create(in folders: InboxFolders) throws(PickupError) -> StagedUpload {
        try folders.prepare(folders.work)
        for _ in 0..<100 {
            let name = prefix + Claim.Sequence.now() + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let path = FileSystem.join(folders.work, name)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 { return StagedUpload(folders: folders, name: name, fd: fd) }
            if errno != EEXIST { throw .write(path: path, errno: errno) }
        }
        throw .noFreeName(folder: folders.work, name: prefix)
    }

    /// Writes `bytes` at the end of the staged file.
    public static func append(_ bytes: UnsafeRawBufferPointer, to staged: StagedUpload) throws(PickupError) {
        var offset = 0
        while offset < bytes.count {
            let n = write(staged.fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .write(path: staged.path, errno: errno)
            }
            offset += n
        }
    }

    /// Starts the disk writes of `count` bytes at `offset` without waiting for them: an upload
    /// kicks them off as it goes, so the `fsync` at ``adopt(_:clientName:manifest:)`` waits for
    /// the last few MB only, not the whole file (80 MB: 0.7 s here).
    public static func startWriteback(_ staged: StagedUpload, offset: Int64, count: Int64) {
        LinuxCalls.startWriteback(staged.fd, offset: offset, count: count)
    }

    /// Closes and removes a staged file that will not be imported (a refused or broken request).
    public static func discard(_ staged: StagedUpload) {
        close(staged.fd)
        unlink(staged.path)
    }

    /// Claims a completely written upload under the client's name made safe (never used as a
    /// path: see ``PickupNames/uploadName(_:)``), with `manifest` as its claimed manifest. The
    /// manifest is written first, then the data renamed, as ``Claim/take(_:from:)`` orders them,
    /// so a crash leaves either the staged file (removed at the next start), or a lone manifest
    /// (put back), or a whole claim (imported).
    public static func adopt(_ staged: StagedUpload, clientName: String, manifest: Data?,
                             ledger: ClaimLedger = .local) throws(PickupError) -> ClaimedFile {
        let synced = fsync(staged.fd) == 0 ? 0 : errno
        close(staged.fd)
        guard synced == 0 else {
            unlink(staged.path)
            throw .write(path: staged.path, errno: synced)
        }
        let folders = staged.folders
        let safe = PickupNames.uploadName(clientName)
        var seq = Claim.Sequence.now()
        for _ in 0..<1000 {
            defer { seq = Claim.Sequence.after(seq) }
            let probe = ClaimedFile(folders: folders, seq: seq, originalName: safe, size: 0, hasManifest: manifest != nil,
                                    receivedName: safe == clientName ? nil : clientName)
            let manifestTarget = FileSystem.join(folders.work, seq + "-" + probe.manifestOriginalName)
            if FileSystem.lstatInfo(probe.claimedPath) != nil || FileSystem.lstatInfo(manifestTarget) != nil { continue }
            if ClaimedFile.StateFile.allCases.contains(where: { FileSystem.lstatInfo(probe.statePath($0)) != nil }) { continue }
            if ledger.reserve(seq) == false { continue }
            do {
                if let received = probe.receivedName {
                    try FileSystem.writeAtomically(ClaimRecord(receivedName: received).encoded(), to: probe.statePath(.claim))
                }
                if let manifest { try FileSystem.writeAtomically(manifest, to: manifestTarget) }
            } catch {
                unlink(probe.statePath(.claim))
                unlink(staged.path)
                throw error
            }
            let e = FileSystem.renameNoReplace(staged.path, probe.claimedPath)
            if e == EEXIST {
                unlink(manifestTarget)
                unlink(probe.statePath(.claim))
                continue
            }
            guard e == 0 else {
                unlink(manifestTarget)
                unlink(probe.statePath(.claim))
                unlink(staged.path)
                throw .move(from: staged.path, to: probe.claimedPath, errno: e)
            }
            FileSystem.syncFolder(folders.work)
            var claimed = probe
            claimed.size = FileSystem.lstatInfo(claimed.claimedPath).map { Int64($0.st_size) } ?? 0
            return claimed
        }
        unlink(staged.path)
        throw .noFreeName(folder: folders.work, name: safe)
    }

    /// Removes the staged uploads a previous run left (it stopped during their upload); returns
    /// how many. Only the daemon's own `.upload-` names, only regular files, and only those not
    /// written to for `idleSeconds`: in a work folder other nodes share, an upload another node
    /// is receiving is written to all the time, one a stopped node left is not.
    @discardableResult
    public static func sweep(_ folders: InboxFolders, idleSeconds: Double = 0) -> Int {
        guard let names = try? FileSystem.list(folders.work) else { return 0 }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var removed = 0
        for name in names where name.hasPrefix(prefix) {
            let path = FileSystem.join(folders.work, name)
            guard let st = FileSystem.lstatInfo(path), (st.st_mode & S_IFMT) == S_IFREG else { continue }
            if idleSeconds > 0, Double(now.tv_sec - st.st_mtim.tv_sec) < idleSeconds { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}

extension PickupNames {
    /// The name an uploaded file is archived under, from the name its client sent. The client's
    /// name is never a path: only its last component is kept (after `/` or `\`), control
    /// characters and NUL become `_`, leading dots are dropped (no hidden or `..` names), an
    /// empty result is `upload`, and a long one is shortened like a dropped file's name.
    public static func uploadName(_ clientName: String) -> String {
        let last = clientName.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last.map(String.init) ?? ""
        var cleaned = String(String.UnicodeScalarView(last.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate: "_"
            default: scalar
            }
        }))
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        if cleaned.trimmingCharacters(in: .whitespaces).isEmpty { cleaned = "upload" }
        return shortened(cleaned)
    }
}
