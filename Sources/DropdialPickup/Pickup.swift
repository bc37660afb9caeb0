/// How a dropped file travels through pickup (SPEC §3), and the choices made where the spec is silent.
///
/// The daemon's loop per inbox, using this module:
/// 1. ``Recovery/leftovers(in:)``: redo `.claimed` files, ``Archive/resume(_:)`` `.archiving` ones,
///    ``Recovery/putBack(_:folders:)`` lone manifests.
/// 2. ``Watcher/start(inbox:)`` (inotify, or polling on NFS/SMB/CIFS/FUSE or with `poll = true`),
///    then ``InboxScan/present(in:)`` → ``Readiness/noticeExisting(_:facts:at:)``. Watching starts
///    first, so a file dropped during the scan is seen at least once.
/// 3. Each ``WatchEvent`` → ``Readiness/observe(_:at:)``; `.overflow` → rescan as in step 2;
///    `.inboxGone` → recreate the watcher. At ``Readiness/nextCheck(after:)``, call
///    ``Readiness/due(at:probe:)`` with ``FileFacts/read(directory:name:)`` as the probe.
/// 4. Each ready name → ``Claim/take(_:from:)``; `.notTaken` is logged once, `.gone` ignored.
/// 5. Import from ``ClaimedFile/claimedPath`` (an unaccepted extension goes straight to `failed/`),
///    then ``Archive/file(_:to:report:errorsCSV:)``.
///
/// Choices:
/// - Work folder `.dropdial-work/` inside the inbox (same filesystem, so renames are atomic);
///   claimed names are `<16-digit seq>-<original name>`.
/// - Files present at startup or found by a rescan must keep size, mtime and inode for one settle
///   period before they are taken: a writer may still be busy with them.
/// - IN_CREATE with content counts as a link()+unlink() rename, but is taken after a 0.2 s grace
///   without writes (a fast `cp` also has content when its create event is read).
/// - A partial `.xlsx` waits; after staying unchanged and incomplete for max(60 s, 10 × settle)
///   it is handed over so the reader reports it corrupt.
/// - Symlinks, folders and devices in the inbox are never taken, followed or moved: left in place
///   for the caller to log. The daemon's own folder names (`processed`, `failed`) are ignored.
/// - Archive names: `contacts.csv`, `contacts (2).csv`, … (counter before the last extension),
///   chosen so the data, report, errors and manifest names are all free; renames never replace.
/// - Manifests are claimed before their data file and archived as `<final stem>.batch.json`.
public enum Pickup {}
