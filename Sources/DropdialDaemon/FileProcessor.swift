import DropdialConfig
import DropdialImport
import DropdialPickup
import DropdialStore
import Foundation
import Glibc
import Logging

/// Takes one inbox's claimed files through import and archive; runs on the inbox's own thread.
struct FileProcessor: Sendable {
    let inbox: InboxConfig
    /// The inbox's own folders, held open (see ``SecuredInbox``).
    let secured: SecuredInbox
    var folders: InboxFolders { secured.folders }
    let store: any StoreEngine
    let logger: Logger
    let stop: StopFlag
    /// How long a node sharing the work folder may be silent before its claims are taken over.
    let leaseSeconds: Double
    /// Claimed files a passing fault held back are retried on this schedule (see ``retryHeldBack()``).
    let backoff = RetryBackoff()
    /// Claimed files that changed during their import: imported again only once quiet.
    let changing = ChangingFiles()
    /// When idle staged uploads were last swept (shared folders).
    let uploadSweep = Every()

    /// What became of a claimed file.
    enum Outcome: Sendable {
        /// Archived in `processed/` or `failed/` beside this report.
        case archived(ImportReport)
        /// A passing fault (database busy or full, archive move refused): the file stays claimed.
        case heldBack(reason: String)
        /// An upload that could not even be claimed (the work folder unwritable): nothing kept.
        case refused(reason: String)
    }

    /// Finishes or redoes what a previous run left in the work folder (SPEC §3: never half a batch).
    func recover() {
        sweepUploads()
        pass(reason: "redoing a file claimed before a restart")
    }

    /// Removes the staged uploads a stop interrupted: at a start, all of them when one daemon
    /// holds the folders (SQLite); when nodes may share them (PostgreSQL), those nobody wrote to
    /// for the lease, at a start and then every lease (``sweepIdleUploads()``), so an upload
    /// another node is receiving is never cut off.
    private func sweepUploads() {
        let removed = UploadStaging.sweep(folders, idleSeconds: store.sharedByNodes ? leaseSeconds : 0)
        if removed > 0 {
            logger.notice("removed uploads a stop interrupted", metadata: ["inbox": "\(inbox.name)", "files": "\(removed)"])
        }
    }

    /// On shared folders: the sweep of idle staged uploads, at most once per lease.
    func sweepIdleUploads() {
        guard store.sharedByNodes, uploadSweep.isDue(every: leaseSeconds) else { return }
        sweepUploads()
    }

    /// Redoes the claimed files a passing fault held back, once their backoff is over. Everything
    /// left in the work folder is such a file (this inbox handles one file at a time), or a claim
    /// of another node sharing the folder, taken over here once that node falls silent.
    func retryHeldBack() {
        guard backoff.isDue() else { return }
        pass(reason: "retrying a file held back by a passing fault")
    }

    private func pass(reason: String) {
        logNotices()
        var heldBack = false
        defer { if !heldBack { backoff.succeeded() } }
        let leftovers: [Leftover]
        do {
            leftovers = try Recovery.leftovers(in: folders)
        } catch {
            logger.error("cannot list the work folder", metadata: ["inbox": "\(inbox.name)", "error": "\(error)"])
            heldBack = true
            hold(reason: "\(error)", file: nil)
            return
        }
        for leftover in leftovers {
            if stop.isSet { return }
            // A claim another live node is on is its own: looked at again on the backoff's
            // schedule, and taken over once the node has been silent for the lease.
            switch hold(leftover.seq) {
            case .held: break
            case .othersClaim:
                heldBack = true
                backoff.failed()
                continue
            case .unknown(let error):
                heldBack = true
                hold(reason: "cannot read who works on the claimed file: \(error)", file: nil)
                continue
            }
            switch leftover {
            case .claimed(let claimed):
                if !changing.isQuiet(claimed, settle: inbox.settleSeconds) {
                    heldBack = true
                    continue
                }
                logger.notice("\(reason)", metadata: ["inbox": "\(inbox.name)", "file": "\(shown(claimed.originalName))"])
                if case .heldBack? = try? process(claimed) { heldBack = true }
            case .archiving(let intent):
                do {
                    _ = try Archive.resume(intent)
                    endClaim(intent.claimed.seq)
                } catch {
                    heldBack = true
                    hold(reason: "cannot finish archiving: \(error)", file: intent.claimed.originalName)
                }
            case .loneManifest(let seq, _):
                if (try? Recovery.putBack(leftover, folders: folders)) != nil { endClaim(seq) }
            }
        }
    }

    /// Claims `name` and processes it; `notTaken` entries are logged, vanished ones ignored.
    func take(_ name: String) {
        logNotices()
        do {
            switch try Claim.take(name, from: folders, ledger: ledger) {
            case .claimed(let claimed):
                // Reserved before the rename; checked again for a reserve the store could not
                // answer, so a recovery pass on another node cannot be on it as well.
                if case .othersClaim = hold(claimed.seq) { return }
                _ = try? process(claimed)
            case .gone: break
            case .notTaken(let name, let reason):
                logger.warning("left in the inbox", metadata: ["inbox": "\(inbox.name)", "file": "\(shown(name))",
                                                                "reason": "\(reason.rawValue)"])
            }
        } catch {
            logger.error("cannot claim", metadata: ["inbox": "\(inbox.name)", "file": "\(shown(name))",
                                                    "error": "\(PickupNames.printable(folders.display("\(error)")))"])
        }
    }

    /// Claims a completely written HTTP upload and takes it through the drop pipeline, as
    /// ``take(_:)`` does a dropped file (SPEC §8): the same claim, dedupe, report and archive.
    func takeUpload(_ staged: StagedUpload, clientName: String, manifest: Data?) -> Outcome {
        logNotices()
        let claimed: ClaimedFile
        do {
            claimed = try UploadStaging.adopt(staged, clientName: clientName, manifest: manifest, ledger: ledger)
        } catch {
            let reason = "cannot claim the upload: \(folders.display("\(error)"))"
            logger.error("\(PickupNames.printable(reason))", metadata: ["inbox": "\(inbox.name)"])
            return .refused(reason: reason)
        }
        do {
            return try process(claimed)
        } catch {
            return .heldBack(reason: "the daemon is stopping; the upload is imported when it starts again")
        }
    }

    /// Logs what the folder checks found (a stray entry moved aside, a replaced folder).
    private func logNotices() {
        for notice in secured.refresh() {
            logger.error("\(PickupNames.printable(notice))", metadata: ["inbox": "\(inbox.name)"])
        }
    }

    /// A file name as it may appear in one log line.
    private func shown(_ name: String) -> String { PickupNames.printable(name) }

    /// Imports a claimed file (or finds the batch a crash left committed) and archives it.
    /// Throws only on shutdown: the file then stays claimed and is redone on the next start.
    /// A passing fault leaves it claimed too, and schedules a retry (``retryHeldBack()``).
    @discardableResult
    func process(_ claimed: ClaimedFile) throws(ImportCancelled) -> Outcome {
        let started = ContinuousClock.now
        let errors = ErrorsCSV(path: claimed.statePath(.errors))
        let workbook = ErrorsWorkbook(path: claimed.statePath(.workbook), tempFolder: claimed.folders.work)
        var report: ImportReport
        // No store read or write is skipped on error: a fault holds the file back (still claimed)
        // for a retry, so a committed batch is never imported again and no state is lost.
        let committed: (batchId: Int64, report: String?)?
        do {
            committed = try store.committedClaim(claimed.claimedName)
        } catch {
            return held("cannot read the database", claimed, error)
        }
        if let committed, let json = committed.report, let stored = try? ReportFile.decode(Data(json.utf8)) {
            report = stored
        } else if let links = Self.hardLinks(claimed.claimedPath), links > 1 {
            report = ImportReport(file: claimed.originalName, sha256: "", inbox: inbox.name,
                                  policy: inbox.settings.invalidRows.rawValue, startedAt: Date())
            report.receivedAs = claimed.receivedName
            report.reject(code: "hard_link", "the file has \(links) hard links, so its contents can be changed from another place; upload a copy instead of a link")
        } else {
            do {
                try store.recordFile(inbox: inbox.name, fileName: claimed.originalName, sha256: "", size: claimed.size,
                                     format: nil, state: "claimed", batchId: nil, claimKey: claimed.claimedName, at: Date())
            } catch {
                return held("cannot record the claimed file", claimed, error)
            }
            let stop = self.stop
            let progress = ProgressLog(logger: logger, inbox: inbox.name, file: claimed.originalName)
            report = try Importer(inbox: inbox).run(
                path: claimed.claimedPath, displayName: claimed.originalName,
                manifestPath: claimed.manifestPath ?? claimed.claimedPath + ".no-manifest",
                store: store, claimKey: claimed.claimedName,
                hooks: ImportHooks(onInvalidRow: { [csv = errors.hook, xlsx = workbook.hook] in csv($0, $1, $2); xlsx($0, $1, $2) },
                                   isCancelled: { stop.isSet }, onProgress: progress.hook))
            report.receivedAs = claimed.receivedName
            if report.status != .imported {
                do {
                    try store.recordFile(inbox: inbox.name, fileName: claimed.originalName, sha256: report.sha256,
                                         size: claimed.size, format: report.format, state: report.status.rawValue,
                                         batchId: report.batchId, claimKey: claimed.claimedName, at: report.startedAt)
                } catch {
                    return held("cannot record the file's outcome", claimed, error)
                }
            }
        }
        if report.status == .failed, let code = report.errorCode, StoreFault(rawValue: code) != nil {
            let reason = report.error ?? code
            hold(reason: reason, file: claimed.originalName)
            return .heldBack(reason: reason)
        }
        if report.status == .failed, report.errorCode == Importer.fileChangedCode {
            // Someone still writes to it: never commit half; wait until it is quiet, then redo.
            let reason = report.error ?? "the file changed during its import"
            changing.mark(claimed)
            hold(reason: reason, file: claimed.originalName)
            return .heldBack(reason: reason)
        }
        changing.forget(claimed)
        defer { Self.releaseMemory(store) }
        let destination: Destination = report.status == .imported || report.status == .duplicate ? .processed : .failed
        do {
            let reportJSON = try ReportFile.encode(report)
            let (hasCSV, hasWorkbook) = (errors.close(), workbook.close())
            for (what, failure) in [("errors CSV", errors.failure), ("errors workbook", workbook.failure.map { $0 as any Error })] {
                guard let failure else { continue }
                logger.warning("cannot write the \(what); the report lists the rejected rows", metadata: [
                    "inbox": "\(inbox.name)", "file": "\(shown(claimed.originalName))", "error": "\(failure)"])
            }
            let archived = try Archive.file(claimed, to: destination, report: reportJSON, errorsStaged: hasCSV,
                                            errorsWorkbook: hasWorkbook)
            recordArchive(claimed, as: destination.rawValue + "/" + archived.finalName, report: reportJSON)
            endClaim(claimed.seq)
            let elapsed = ContinuousClock.now - started
            ImportMetrics.record(report, inbox: inbox.name,
                                 seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            let c = report.counts
            logger.info("file done", metadata: [
                "inbox": "\(inbox.name)", "file": "\(shown(claimed.originalName))", "status": "\(report.status.rawValue)",
                "rows": "\(c.rows)", "imported": "\(c.imported)", "invalid": "\(c.invalid)",
                "duplicates": "\(c.duplicates)", "ms": "\((ContinuousClock.now - started).milliseconds)",
                "batch": "\(report.batchId.map(String.init) ?? "-")", "archived": "\(shown(archived.dataPath))",
            ])
            return .archived(report)
        } catch {
            let reason = "cannot archive: \(folders.display("\(error)"))"
            hold(reason: reason, file: claimed.originalName)
            return .heldBack(reason: reason)
        }
    }

    /// Notes where the file went and its report, for `GET /api/files`. The archive is done and is
    /// the record that counts: a fault here is logged, and the listing shows no place for it.
    private func recordArchive(_ claimed: ClaimedFile, as archivedAs: String, report: Data) {
        do {
            try store.fileArchived(claimKey: claimed.claimedName, archivedAs: archivedAs,
                                   report: String(decoding: report, as: UTF8.self))
        } catch {
            logger.warning("cannot note where the file was archived; the file and its report are in place", metadata: [
                "inbox": "\(inbox.name)", "file": "\(shown(claimed.originalName))", "error": "\(error)"])
        }
    }

    /// Who works on a claim in this inbox's work folder.
    enum ClaimHolder {
        case held
        case othersClaim
        case unknown(any Error)
    }

    /// The store's key of the claim `seq` of this inbox (the same on every node sharing it).
    func claimKey(_ seq: String) -> String { inbox.name + "/" + seq }

    /// Takes or keeps the claim `seq` for this node (always this node's on SQLite).
    func hold(_ seq: String) -> ClaimHolder {
        do {
            return try store.holdClaim(claimKey(seq), leaseSeconds: leaseSeconds) ? .held : .othersClaim
        } catch {
            return .unknown(error)
        }
    }

    /// Claim numbers reserved in the store before a file is renamed into the work folder.
    var ledger: ClaimLedger {
        let (store, lease, key) = (store, leaseSeconds, claimKey)
        return ClaimLedger { seq in try? store.holdClaim(key(seq), leaseSeconds: lease) }
    }

    /// Ends the claim of a file archived (or a manifest put back); a fault only leaves the row,
    /// whose file is gone.
    private func endClaim(_ seq: String) {
        do {
            try store.endClaim(claimKey(seq))
        } catch {
            logger.warning("cannot end the claim of an archived file", metadata: ["inbox": "\(inbox.name)", "error": "\(error)"])
        }
    }

    /// Keeps `claimed` in the work folder for a retry after `reason`.
    private func held(_ what: String, _ claimed: ClaimedFile, _ error: any Error) -> Outcome {
        let reason = StoreFault.classify(error).map { "\(what): \($0) (\(error))" } ?? "\(what): \(error)"
        hold(reason: reason, file: claimed.originalName)
        return .heldBack(reason: reason)
    }

    /// Logs why a file stays claimed and when it is tried again.
    private func hold(reason: String, file: String?) {
        let wait = backoff.failed()
        logger.error("the file stays claimed in the work folder and is retried", metadata: [
            "inbox": "\(inbox.name)", "file": "\(file.map(shown) ?? "-")", "reason": "\(PickupNames.printable(reason))",
            "retryInSeconds": "\(wait.components.seconds)",
        ])
    }
}

extension FileProcessor {
    /// After each file: SQLite's page caches, then malloc's free pages, back to the system.
    static func releaseMemory(_ store: any StoreEngine) {
        store.releaseMemory()
        MallocTrim.run()
    }

    /// The link count of a claimed file, nil when it cannot be read.
    static func hardLinks(_ path: String) -> Int? {
        var st = stat()
        return lstat(path, &st) == 0 ? Int(st.st_nlink) : nil
    }
}

/// glibc's `malloc_trim(0)` (not in the Swift Glibc module, so found with `dlsym`): returns the
/// heap's free pages to the system, so the resident set shrinks back after a large file.
enum MallocTrim {
    private typealias Fn = @convention(c) (Int) -> Int32
    private static let fn: Fn? = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim").map { unsafeBitCast($0, to: Fn.self) }
    static func run() { _ = fn?(0) }
}

/// Claimed files whose import saw them change: each waits until its mtime is one settle period old.
final class ChangingFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []

    func mark(_ c: ClaimedFile) { lock.lock(); names.insert(c.claimedName); lock.unlock() }
    func forget(_ c: ClaimedFile) { lock.lock(); names.remove(c.claimedName); lock.unlock() }

    /// True unless `c` changed during an import and was modified less than `settle` seconds ago.
    func isQuiet(_ c: ClaimedFile, settle: Double) -> Bool {
        lock.lock()
        let watched = names.contains(c.claimedName)
        lock.unlock()
        guard watched else { return true }
        var st = stat()
        guard lstat(c.claimedPath, &st) == 0 else { return true }
        let modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        return Date().timeIntervalSince1970 - modified >= max(settle, 1)
    }
}

/// Progress lines for large files, at most one every few seconds.
final class ProgressLog: @unchecked Sendable {
    let logger: Logger
    let inbox: String
    let file: String
    private var last = ContinuousClock.now

    init(logger: Logger, inbox: String, file: String) {
        self.logger = logger
        self.inbox = inbox
        self.file = file
    }

    var hook: @Sendable (Int) -> Void {
        { [self] rows in
            let now = ContinuousClock.now
            guard now - last >= .seconds(5) else { return }
            last = now
            logger.info("importing", metadata: ["inbox": "\(inbox)", "file": "\(file)", "rows": "\(rows)"])
        }
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
