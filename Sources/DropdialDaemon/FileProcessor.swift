import DropdialConfig
import DropdialImport
import DropdialPickup
import DropdialStore
import Foundation
import Logging

/// Takes one inbox's claimed files through import and archive; runs on the inbox's own thread.
struct FileProcessor: Sendable {
    let inbox: InboxConfig
    let folders: InboxFolders
    let store: Store
    let logger: Logger
    let stop: StopFlag

    /// Finishes or redoes what a previous run left in the work folder (SPEC §3: never half a batch).
    func recover() {
        let leftovers: [Leftover]
        do {
            leftovers = try Recovery.leftovers(in: folders)
        } catch {
            logger.error("cannot list the work folder", metadata: ["inbox": "\(inbox.name)", "error": "\(error)"])
            return
        }
        for leftover in leftovers {
            if stop.isSet { return }
            switch leftover {
            case .claimed(let claimed):
                logger.notice("redoing a file claimed before a restart",
                              metadata: ["inbox": "\(inbox.name)", "file": "\(claimed.originalName)"])
                try? process(claimed)
            case .archiving(let intent):
                do {
                    _ = try Archive.resume(intent)
                } catch {
                    logger.error("cannot finish archiving", metadata: ["inbox": "\(inbox.name)", "error": "\(error)"])
                }
            case .loneManifest:
                _ = try? Recovery.putBack(leftover, folders: folders)
            }
        }
    }

    /// Claims `name` and processes it; `notTaken` entries are logged, vanished ones ignored.
    func take(_ name: String) {
        do {
            switch try Claim.take(name, from: folders) {
            case .claimed(let claimed): try? process(claimed)
            case .gone: break
            case .notTaken(let name, let reason):
                logger.warning("left in the inbox", metadata: ["inbox": "\(inbox.name)", "file": "\(name)",
                                                                "reason": "\(reason.rawValue)"])
            }
        } catch {
            logger.error("cannot claim", metadata: ["inbox": "\(inbox.name)", "file": "\(name)", "error": "\(error)"])
        }
    }

    /// Imports a claimed file (or finds the batch a crash left committed) and archives it.
    /// Throws only on shutdown: the file then stays claimed and is redone on the next start.
    func process(_ claimed: ClaimedFile) throws(ImportCancelled) {
        let started = ContinuousClock.now
        let errors = ErrorsCSV()
        var report: ImportReport
        if let committed = try? store.committedClaim(claimed.claimedName),
           let json = committed.report, let stored = try? ReportFile.decode(Data(json.utf8)) {
            report = stored
        } else {
            try? store.recordFile(inbox: inbox.name, fileName: claimed.originalName, sha256: "", size: claimed.size,
                                  format: nil, state: "claimed", batchId: nil, claimKey: claimed.claimedName, at: Date())
            let stop = self.stop
            let progress = ProgressLog(logger: logger, inbox: inbox.name, file: claimed.originalName)
            report = try Importer(inbox: inbox).run(
                path: claimed.claimedPath, displayName: claimed.originalName,
                manifestPath: claimed.manifestPath ?? claimed.claimedPath + ".no-manifest",
                store: store, claimKey: claimed.claimedName,
                hooks: ImportHooks(onInvalidRow: errors.hook, isCancelled: { stop.isSet }, onProgress: progress.hook))
            if report.status != .imported {
                try? store.recordFile(inbox: inbox.name, fileName: claimed.originalName, sha256: report.sha256,
                                      size: claimed.size, format: report.format, state: report.status.rawValue,
                                      batchId: report.batchId, claimKey: claimed.claimedName, at: report.startedAt)
            }
        }
        let destination: Destination = report.status == .imported || report.status == .duplicate ? .processed : .failed
        do {
            let archived = try Archive.file(claimed, to: destination, report: try ReportFile.encode(report),
                                            errorsCSV: errors.data)
            let c = report.counts
            logger.info("file done", metadata: [
                "inbox": "\(inbox.name)", "file": "\(claimed.originalName)", "status": "\(report.status.rawValue)",
                "rows": "\(c.rows)", "imported": "\(c.imported)", "invalid": "\(c.invalid)",
                "duplicates": "\(c.duplicates)", "ms": "\((ContinuousClock.now - started).milliseconds)",
                "batch": "\(report.batchId.map(String.init) ?? "-")", "archived": "\(archived.dataPath)",
            ])
        } catch {
            logger.error("cannot archive; the file stays in the work folder and is retried at the next start",
                         metadata: ["inbox": "\(inbox.name)", "file": "\(claimed.originalName)", "error": "\(error)"])
        }
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
