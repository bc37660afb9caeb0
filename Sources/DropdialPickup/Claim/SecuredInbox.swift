#if canImport(Glibc)
import Glibc
#endif

/// An inbox's own folders, opened and checked by the daemon and held open while it runs.
///
/// Uploaders may write the inbox, so they can rename, replace or symlink any name in it. The
/// daemon therefore never trusts a name twice:
/// - the work folder (claimed files, archive plans, staged reports) is created by the daemon with
///   mode 0700, and accepted at startup only when it is a real folder (not a symlink) owned by the
///   daemon's user; anything else there is moved aside and logged, and a fresh one is made;
/// - `processed/` and `failed/` must be real folders (a symlink or file of that name is moved aside);
/// - all three are then used through their open descriptors (``InboxFolders`` holds
///   `/proc/self/fd/N` paths), so renaming or replacing a name later cannot redirect a rename;
///   ``refresh()`` notices a replaced `processed/` or `failed/` and opens the new folder, and says
///   when the work folder was moved (the daemon keeps using its own).
public final class SecuredInbox: @unchecked Sendable {
    public let path: String
    private var fds: [String: Int32] = [:]   // folder name → descriptor
    private var warned: Set<String> = []
    /// What was found and done, for the caller to log once.
    public private(set) var notices: [String] = []

    /// Opens (creating as needed) the inbox's work, processed and failed folders. The inbox must exist.
    public init(inbox: String) throws(PickupError) {
        path = inbox
        for name in [PickupNames.workFolder, PickupNames.processedFolder, PickupNames.failedFolder] {
            fds[name] = try open(name)
        }
    }

    deinit { for fd in fds.values { close(fd) } }

    /// The folders, anchored to the open descriptors.
    public var folders: InboxFolders {
        var f = InboxFolders(inbox: path)
        var shown: [String: String] = [:]
        func anchor(_ name: String) -> String {
            let a = "/proc/self/fd/\(fds[name]!)"
            shown[a] = FileSystem.join(path, name)
            return a
        }
        f.work = anchor(PickupNames.workFolder)
        f.processed = anchor(PickupNames.processedFolder)
        f.failed = anchor(PickupNames.failedFolder)
        f.shown = shown
        f.isAnchored = true
        return f
    }

    /// Checks the names again (between files): a `processed/` or `failed/` that was removed or
    /// replaced is opened anew; a moved work folder is reported once (the open one stays in use).
    /// Returns notices to log.
    public func refresh() -> [String] {
        var out = notices
        notices = []
        for name in [PickupNames.processedFolder, PickupNames.failedFolder] {
            guard let fd = fds[name], !sameFolder(name, fd) else { continue }
            if let fresh = try? open(name) {
                close(fd)
                fds[name] = fresh
            }
            out += notices
            notices = []
        }
        if let fd = fds[PickupNames.workFolder], !sameFolder(PickupNames.workFolder, fd),
           warned.insert(PickupNames.workFolder).inserted {
            out.append("the work folder \(FileSystem.join(path, PickupNames.workFolder)) was moved or replaced by someone else; the daemon keeps using its own, and files claimed in it are still archived")
        }
        return out
    }

    /// True when `name` in the inbox is still the folder `fd` holds.
    private func sameFolder(_ name: String, _ fd: Int32) -> Bool {
        var held = stat(), now = stat()
        guard fstat(fd, &held) == 0, lstat(FileSystem.join(path, name), &now) == 0 else { return false }
        return held.st_dev == now.st_dev && held.st_ino == now.st_ino
    }

    /// Opens `name` as a trusted folder, moving aside whatever else holds the name.
    private func open(_ name: String) throws(PickupError) -> Int32 {
        let full = FileSystem.join(path, name)
        let isWork = name == PickupNames.workFolder
        for _ in 0..<3 {
            if mkdir(full, isWork ? 0o700 : 0o755) != 0, errno != EEXIST {
                throw .createFolder(path: full, errno: errno)
            }
            let fd = Glibc.open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 {
                let e = errno
                // ELOOP: a symlink; ENOTDIR: a file, FIFO, socket or device stands there.
                guard e == ELOOP || e == ENOTDIR else { throw .createFolder(path: full, errno: e) }
                try moveAside(name, why: e == ELOOP ? "a symbolic link" : "not a folder")
                continue
            }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                let e = errno
                close(fd)
                throw .createFolder(path: full, errno: e)
            }
            if isWork {
                guard st.st_uid == geteuid() else {
                    close(fd)
                    try moveAside(name, why: "a folder owned by uid \(st.st_uid), not by the daemon's user \(geteuid()); its contents are not trusted")
                    continue
                }
                if st.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o700) }
            }
            return fd
        }
        throw .createFolder(path: full, errno: EEXIST)
    }

    /// Renames whatever holds `name` to `name.stray-<seq>` (a dot-name for the work folder, so it
    /// is never taken) and notes it.
    private func moveAside(_ name: String, why: String) throws(PickupError) {
        let aside = name + ".stray-" + Claim.Sequence.now()
        let from = FileSystem.join(path, name), to = FileSystem.join(path, aside)
        let e = FileSystem.renameNoReplace(from, to)
        guard e == 0 || e == ENOENT else { throw .move(from: from, to: to, errno: e) }
        notices.append("\(from) was \(why): moved aside to \(to)")
    }
}
